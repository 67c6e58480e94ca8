"""PDF records: session record, client chart, emergency-access sheet.

See docs/architecture.md "PDF records".

Start at `service.ExportService`; add a section to the records through
`sections.register_section`.
"""
