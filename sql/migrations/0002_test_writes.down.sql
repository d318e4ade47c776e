DROP TABLE test_writes;
