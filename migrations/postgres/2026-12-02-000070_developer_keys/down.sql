DROP TABLE developer_keys;
