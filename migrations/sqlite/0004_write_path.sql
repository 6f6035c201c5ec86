-- The statements that store messages now move their conversation's last activity themselves,
-- in the transaction that also writes the rest of its state: the trigger of 0003 would only
-- update the same row again.
DROP TRIGGER messages_last_message_at;
