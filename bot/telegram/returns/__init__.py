"""The customer's return request in the chat: ``dialog`` keeps its draft in FSM data and moves
between steps, ``screens`` renders each step as a message."""
