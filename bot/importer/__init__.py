"""Import past orders with their outcomes from a CSV or JSON file (``run_bot.py import``).

``rows`` checks one row, ``timeline`` says what history a past order gets, ``sources`` reads the
files, ``writer`` stores a batch, ``pipeline`` ties them together and ``cli`` is the command.
"""
