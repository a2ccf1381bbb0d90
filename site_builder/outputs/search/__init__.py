"""The Pagefind search index, fed while MkDocs renders."""
