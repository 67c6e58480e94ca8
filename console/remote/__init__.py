"""The stimulus on the client's own device: the link, its sealed messages, the wire format.

See docs/remote_pacer.md for the design (one clock, end-to-end encryption,
a broker the clinic runs) and what is built so far.
"""
