DROP TABLE desk_log;
DROP TABLE attendances;
DROP TABLE scans;
DROP TABLE checkins;
