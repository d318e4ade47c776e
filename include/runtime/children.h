/* The master's worker processes: forking one into a scoreboard slot, reaping
 * the dead (with the reason logged and a back-off for crash loops), and
 * keeping the pool at its configured size. */
#ifndef RB_RUNTIME_CHILDREN_H
#define RB_RUNTIME_CHILDREN_H

#include <stdint.h>

struct pool;

/* Children alive (workers and job runners); with current_only, only the
 * workers of the current generation that are not retiring (the ones that
 * count towards [server] workers). */
int children_live(const struct pool *p, int current_only);

/* Job runners of the current generation that are not retiring (the ones
 * that count towards [jobs] runners). */
int children_runners(const struct pool *p);

/* Forks one job runner of the current generation. 0, or -1 when the child
 * table is full or fork failed (logged). */
int children_spawn_runner(struct pool *p);

/* Forks one worker of the current generation into a free slot. Returns 0, or
 * -1 when the child table or the scoreboard is full or fork failed (logged). */
int children_spawn(struct pool *p);

/* Reaps every exited worker without waiting: logs an unplanned death, counts
 * it as a restart and sets the back-off, and frees its slot. */
void children_reap(struct pool *p);

/* Starts missing workers and job runners unless backing off (then one at
 * a time). now is scoreboard_now_ms(). */
void children_top_up(struct pool *p, uint64_t now);

#endif
