"""Normative-document cleanup results (规范性文件清理结果) and the document library."""
