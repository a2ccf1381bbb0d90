"""site_builder: a static-site generator for a city rule-of-law office (see README.md)."""
