/** The four conditions that must all hold for threads to deadlock (Coffman, 1971). */
export type Condition = 'mutual exclusion' | 'hold and wait' | 'no preemption' | 'circular wait';

export type Clerk = 'alice' | 'bob' | 'carol';
export type LockName = 'lock-a' | 'lock-b' | 'lock-c';
