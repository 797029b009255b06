package auth

import (
	"testing"
	"time"
)

// TestConcurrentClocksWithinTheFreeFailures: attempts made at once read the clock a moment apart; one
// whose reading is earlier than the last attempt's is not refused while the failures are free.
func TestConcurrentClocksWithinTheFreeFailures(t *testing.T) {
	th := NewCodeThrottle()
	now := time.Now()
	if th.Reserve("k", now.Add(5*time.Millisecond)) != 0 || th.Reserve("k", now) != 0 {
		t.Fatal("an attempt stamped a moment earlier than the last one was refused")
	}
	th.Release("k")
	if th.Reserve("k", now) != 0 {
		t.Fatal("refused after a give-back")
	}
}
