package audit

import (
	"testing"
	"time"
)

func chain(n int) []Event {
	var out []Event
	prevSeq, prevHash := int64(0), GenesisHash
	for i := 0; i < n; i++ {
		s, _ := CanonicalSummary(map[string]any{"name": "Nguyễn Văn A", "i": i})
		e := Event{At: time.Date(2028, 12, 5, 8, 0, i, 123456789, time.FixedZone("ICT", 7*3600)), ActorID: "u1", ActorName: "thuky",
			Action: "delegate.create", ObjectType: "delegate", ObjectID: "d", CouncilID: "c1", Summary: s, RequestID: "r"}
		Seal(&e, prevSeq, prevHash)
		prevSeq, prevHash = e.Seq, e.Hash
		out = append(out, e)
	}
	return out
}

func verify(events []Event, headSeq int64, headHash string) Result {
	v := NewVerifier()
	for _, e := range events {
		v.Add(e)
	}
	return v.Finish(headSeq, headHash)
}

func TestIntactChainVerifies(t *testing.T) {
	es := chain(5)
	r := verify(es, 5, es[4].Hash)
	if !r.OK || r.Events != 5 || r.Head != es[4].Hash || r.FirstBadEvent != nil {
		t.Fatalf("got %+v", r)
	}
	if es[0].At.Location() != time.UTC || es[0].At.Nanosecond()%1000 != 0 {
		t.Fatalf("time not normalised to UTC microseconds: %v", es[0].At)
	}
	if r := verify(nil, 0, GenesisHash); !r.OK || r.Events != 0 {
		t.Fatalf("empty log: got %+v", r)
	}
}

func TestVerifierNamesFirstBadEvent(t *testing.T) {
	cases := []struct {
		name   string
		mutate func([]Event) []Event
		head   int64
		want   int64
	}{
		{"altered summary", func(es []Event) []Event { es[2].Summary = `{"name":"Trần Thị B"}`; return es }, 5, 3},
		{"altered actor", func(es []Event) []Event { es[0].ActorName = "admin"; return es }, 5, 1},
		{"missing middle event", func(es []Event) []Event { return append(es[:1], es[2:]...) }, 5, 2},
		{"rehashed altered event breaks the next link", func(es []Event) []Event {
			es[1].Action = "x"
			es[1].Hash = ComputeHash(es[1])
			return es
		}, 5, 3},
		{"missing tail", func(es []Event) []Event { return es[:4] }, 5, 5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			es := c.mutate(chain(5))
			headHash := chain(5)[c.head-1].Hash
			r := verify(es, c.head, headHash)
			if r.OK || r.FirstBadEvent == nil || *r.FirstBadEvent != c.want {
				t.Fatalf("got %+v, want first bad event %d", r, c.want)
			}
		})
	}
}

func TestCanonicalSummarySortsKeys(t *testing.T) {
	a, _ := CanonicalSummary(map[string]any{"b": 1, "a": "x"})
	if a != `{"a":"x","b":1}` {
		t.Fatalf("got %s", a)
	}
}
