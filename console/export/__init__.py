"""PDF records: session record, client chart, emergency-access sheet (ARCHITECTURE.md "PDF").

Start at `service.ExportService`; add a section to the records through
`sections.register_section`.
"""
