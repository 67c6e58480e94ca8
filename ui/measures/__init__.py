"""Outcome measures on screen: the questionnaire form, the client's own view, the risk prompt.

The session's Measures tab (`ui/session/tabs/measures.py`) composes them;
scoring and the item 9 rule live in `console.clinical.measures`, records in
`services.measures`.
"""
