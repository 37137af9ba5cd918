"""Viber and SMS for customers the bot cannot reach in Telegram (README, "Customers outside
Telegram"): planned as timers, checked against the rules when due, sent through the outbox,
followed by delivery reports, paid for within a monthly budget, and never to someone who said stop.
"""
