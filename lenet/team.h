/*
 * team.h: threads that share the work of one pattern (chapter 10).
 *
 * With one update per pattern, as the paper trains, the patterns cannot be
 * spread over the cores: each needs the weights the last one left. What
 * can be shared is each layer's work on one pattern. Each thread (a "part"
 * of the team) computes its share of a layer, then waits at team_meet until
 * every part has arrived, since the next layer reads what they all wrote.
 *
 * A share takes a few microseconds. Putting a thread to sleep and waking it
 * takes the operating system longer than that, so a part that arrives first
 * spins, reading a counter until the last part bumps it; a meeting costs
 * about a fifth of a microsecond here. After a while spinning it yields the
 * processor, so that a team with more parts than free cores still moves.
 */
#ifndef LENET_TEAM_H
#define LENET_TEAM_H

#include <stdatomic.h>

typedef struct {
    int parts;              /* threads in the team, part 0 the caller's */
    atomic_int arrived;     /* parts at the current meeting */
    atomic_uint round;      /* meetings held so far */
    atomic_int halted;      /* set by team_halt */
} net_team;

void team_init(net_team *t, int parts);

/* Waits until every part has arrived. Returns 1, or 0 once part 0 has
   called team_halt. A NULL team is a team of one: it returns 1 at once. */
int team_meet(net_team *t);

/* Part 0 stops the others: the meeting it joins, where they wait or will
   arrive, returns 0 to every part. */
void team_halt(net_team *t);

#endif
