package testapp

import (
	"sync"
	"time"
)

// Busy is goroutines that each run a step over and over while a test does
// something else: the writers and readers kept going across a backup or a
// rebuild.
type Busy struct {
	stop chan struct{}
	wg   sync.WaitGroup
}

// KeepBusy starts a goroutine for each step, which calls it with 0, 1, 2, …
// until Stop is called or the step returns false.
func KeepBusy(steps ...func(i int) bool) *Busy {
	b := &Busy{stop: make(chan struct{})}
	b.wg.Add(len(steps))
	for _, step := range steps {
		go func() {
			defer b.wg.Done()
			for i := 0; ; i++ {
				select {
				case <-b.stop:
					return
				default:
				}
				if !step(i) {
					return
				}
			}
		}()
	}
	return b
}

// Stop ends the goroutines and waits for them.
func (b *Busy) Stop() {
	close(b.stop)
	b.wg.Wait()
}

// WaitUntil polls cond until it holds or 30 s have passed; the checks after
// it say what was missing.
func WaitUntil(cond func() bool) {
	for deadline := time.Now().Add(30 * time.Second); !cond() && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
}
