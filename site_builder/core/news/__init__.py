"""News articles: their header fields, old addresses (``aliases:``), and `site-builder new`."""
