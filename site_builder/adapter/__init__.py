"""Everything that imports MkDocs, Material or Jinja: the plugin, Markdown rendering, page chrome,
incremental state, the preview and the staged build. The layers below never import these libraries."""
