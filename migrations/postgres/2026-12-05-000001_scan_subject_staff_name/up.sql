-- A scan's nonce answers again only the request that made it: the same subject (a digest
-- of the badge code or of the registration picked by search) from the same staff member.
ALTER TABLE scans ADD COLUMN subject TEXT;

-- What the desk is told about who checked someone in: a name, not an email address.
ALTER TABLE staff_users ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
UPDATE staff_users SET display_name = split_part(email, '@', 1);
