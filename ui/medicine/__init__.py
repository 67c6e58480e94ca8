"""The medicine-session (KAP) view: dose, vitals timeline and plot, adverse events, discharge.

`MedicineView` (view.py) composes the parts; the session tab in
`ui/session/tabs/medicine.py` registers it. Rules live in
`console.clinical.medicine`, records in `services.medicine`.
"""
