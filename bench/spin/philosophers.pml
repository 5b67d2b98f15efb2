/* The course's ordered dining philosophers (models/philosophers.rs, variant "ordered"), in
 * Promela for SPIN, for `interleave bench --explore`: N philosophers, one meal each, each
 * taking the lower-numbered of its two forks first. A fork is taken in one atomic step when
 * free; a philosopher asserts that neither neighbour eats while it does. SPIN's safety search
 * (-DSAFETY) also reports any invalid end state: a deadlock. N is set with spin's -DN=5;
 * -DNAIVE gives the course's naive philosophers (left fork, then right), the control: SPIN must
 * find their deadlock. */
#ifndef N
#define N 5
#endif

bit fork[N];
bit eating[N];
byte meals[N];

proctype philosopher(byte i) {
    byte first, second;
#ifdef NAIVE
    first = i; second = (i + 1) % N;
#else
    if
    :: i < (i + 1) % N -> first = i; second = (i + 1) % N
    :: else -> first = (i + 1) % N; second = i
    fi;
#endif
    atomic { fork[first] == 0 -> fork[first] = 1 };
    atomic { fork[second] == 0 -> fork[second] = 1 };
    eating[i] = 1;
    assert(eating[(i + N - 1) % N] == 0 && eating[(i + 1) % N] == 0);
    meals[i]++;
    eating[i] = 0;
    fork[second] = 0;
    fork[first] = 0
}

init {
    byte i = 0;
    atomic {
        do
        :: i < N -> run philosopher(i); i++
        :: else -> break
        od
    }
}
