"""Use cases: each opens a unit of work, writes an audit event, returns frozen data."""
