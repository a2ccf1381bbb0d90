"""公众号 copies: one paste-ready HTML fragment and its metadata per article."""
