/* Each unit suite registers itself through one function listed here. */
#ifndef RB_TESTS_UNIT_H
#define RB_TESTS_UNIT_H

int unit_migrate_register(void);
int unit_db_bind_register(void);
int unit_core_register(void);
int unit_password_register(void);

#endif
