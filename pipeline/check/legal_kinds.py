"""Check kinds about legal bases (cited instruments, their status on the document's date).

Registered in the same registry as the other kinds (pipeline/check/kinds.py imports this module).
"""
