"""The core: reading content/, fields, checks, the model and page planning, one folder per content kind
(news, cleanups, xxgk). Plain Python: no MkDocs, Material or Jinja, and nothing from the layers above."""
