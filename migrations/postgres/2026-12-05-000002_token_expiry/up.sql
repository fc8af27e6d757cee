-- API tokens may expire; NULL means never (the tokens issued before this change).
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMP;
