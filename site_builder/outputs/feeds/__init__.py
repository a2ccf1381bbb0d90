"""RSS 2.0, Atom 1.0 and JSON Feed 1.1: all news, each 栏目, and the cleanup batches."""
