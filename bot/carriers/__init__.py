"""Carrier clients (Nova Poshta first) behind one small interface; no database here."""
