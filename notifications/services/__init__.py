"""Writes of the notifications app: ``recording`` stores a notification once and sends its
e-mail; ``rules`` decides who is told what, and when; ``reading`` marks notifications read
and keeps each user's e-mail choices."""
