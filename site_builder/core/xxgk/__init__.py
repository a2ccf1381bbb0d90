"""政府信息公开: the section's settings, its yearly reports and its pages, as plain data and HTML."""
