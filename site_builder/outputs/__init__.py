"""What a build writes besides the pages: feeds, 公众号 copies, the search index, sitemaps, build.json.
Each output reads the planned site (core) and the rendered bodies; none imports MkDocs."""
