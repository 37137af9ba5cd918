"""The Telegram Bot API's own rules, with nothing of Vykup in them: its HTML subset and its limits
on sending. Whatever talks to Telegram, renders for it or stands in for it reads them from here."""
