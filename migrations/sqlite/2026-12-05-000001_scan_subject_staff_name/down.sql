ALTER TABLE staff_users DROP COLUMN display_name;
ALTER TABLE scans DROP COLUMN subject;
