/* team.c: the meeting point of a team of threads (team.h). */
#define _POSIX_C_SOURCE 200809L  /* sched_yield */
#include "team.h"

#include <sched.h>

/* Spins before a waiting part starts yielding the processor. */
#define TEAM_SPINS 4096

void team_init(net_team *t, int parts)
{
    t->parts = parts;
    atomic_init(&t->arrived, 0);
    atomic_init(&t->round, 0);
    atomic_init(&t->halted, 0);
}

//> team-meet
int team_meet(net_team *t)
{
    if (!t || t->parts == 1)
        return 1;
    unsigned round = atomic_load(&t->round);   /* before arriving */
    if (atomic_fetch_add(&t->arrived, 1) == t->parts - 1) {
        atomic_store(&t->arrived, 0);          /* the last: open the next */
        atomic_store(&t->round, round + 1);
    } else {
        for (long spins = 0; atomic_load(&t->round) == round; spins++)
            if (spins > TEAM_SPINS)
                sched_yield();
    }
    return !atomic_load(&t->halted);
}
//< team-meet

void team_halt(net_team *t)
{
    atomic_store(&t->halted, 1);
    team_meet(t);
}
