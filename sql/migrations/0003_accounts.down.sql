DROP TABLE login_failures;
DROP TABLE audit_log;
DROP TABLE sessions;
DROP TABLE users;
