DROP TABLE comment_notify_marks;
DROP TABLE invites;
DROP TABLE account_tokens;
ALTER TABLE users DROP KEY uq_users_unsubscribe, DROP COLUMN unsubscribe_key,
    DROP COLUMN notify_comments, DROP COLUMN email_verified_at;
