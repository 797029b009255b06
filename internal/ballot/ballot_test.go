package ballot

import (
	"strings"
	"testing"

	"tinnhiem/internal/apperr"
	"tinnhiem/internal/rules"
)

func TestCodesRoundTripAndCatchTypos(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 2000; i++ {
		c := NewCode()
		if len(c) != CodeLen || seen[c] {
			t.Fatalf("bad or repeated code %q", c)
		}
		seen[c] = true
		for _, typed := range []string{c, Format(c), strings.ToLower(Format(c)), " " + strings.ReplaceAll(Format(c), "-", " ") + " "} {
			got, err := ParseCode(typed)
			if err != nil || got != c {
				t.Fatalf("ParseCode(%q) = %q, %v", typed, got, err)
			}
		}
		// Every single-character substitution is caught.
		for pos := 0; pos < CodeLen; pos++ {
			for _, r := range alphabet {
				if byte(r) == c[pos] {
					continue
				}
				bad := c[:pos] + string(r) + c[pos+1:]
				if _, err := ParseCode(bad); err == nil {
					t.Fatalf("substitution at %d not caught: %s -> %s", pos, c, bad)
				}
			}
		}
		// Every swap of two different characters is caught, adjacent or not.
		for p := 0; p < CodeLen; p++ {
			for q := p + 1; q < CodeLen; q++ {
				if c[p] == c[q] {
					continue
				}
				b := []byte(c)
				b[p], b[q] = b[q], b[p]
				if _, err := ParseCode(string(b)); err == nil {
					t.Fatalf("swap of %d and %d not caught: %s -> %s", p, q, c, b)
				}
			}
		}
		if i > 300 {
			break
		}
	}
	for _, bad := range []string{"", "ABC", strings.Repeat("0", 40), "ÁBCD-EFGH-JKMN-PQRS-TVWX-YZ01-23C", "UUUU-UUUU-UUUU-UUUU-UUUU-UUUU-UUU"} {
		if _, err := ParseCode(bad); err == nil {
			t.Errorf("ParseCode(%q) accepted", bad)
		}
	}
	// Look-alike letters read as digits.
	c := NewCode()
	typo := strings.NewReplacer("0", "O", "1", "I").Replace(c)
	if got, err := ParseCode(typo); err != nil || got != c {
		t.Fatalf("O/I look-alikes: %v", err)
	}
}

func TestZeroAndZSwapIsCaught(t *testing.T) {
	data := "60Z5JZA66W9YHH3NCTYJKQJW30"
	c := data + string(checkChar(data))
	if _, err := ParseCode(c); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseCode("6Z05JZA66W9YHH3NCTYJKQJW30" + string(checkChar(data))); err == nil {
		t.Fatal("the swap Luhn mod 32 misses is not caught")
	}
}

func TestHashIsKeyed(t *testing.T) {
	c := NewCode()
	k1, k2 := NewVoteKey(), NewVoteKey()
	if Hash(k1, c) == Hash(k2, c) || Hash(k1, c) != Hash(k1, c) || len(Hash(k1, c)) != 64 {
		t.Fatal("keyed hash")
	}
}

func TestReceiptSealing(t *testing.T) {
	c := NewCode()
	r := NewReceipt()
	if len(r) != 9 || r[4] != '-' {
		t.Fatalf("receipt %q", r)
	}
	sealed := SealReceipt(c, r)
	if strings.Contains(sealed, r) {
		t.Fatal("receipt visible in its sealed form")
	}
	if got, err := OpenReceipt(c, sealed); err != nil || got != r {
		t.Fatalf("got %q %v", got, err)
	}
	if got, _ := OpenReceipt(NewCode(), sealed); got == r {
		t.Fatal("another code opened the receipt")
	}
	if RetryTag(c, "hml") == RetryTag(c, "hmm") || RetryTag(c, "hml") == RetryTag(NewCode(), "hml") {
		t.Fatal("retry tags must depend on the code and the marks")
	}
}

func lv(l rules.Level) *rules.Level { return &l }

func TestEncodeMarks(t *testing.T) {
	subjects := []string{"a", "b", "c"}
	m, err := Encode(rules.Confidence, subjects, []Choice{{"c", lv(rules.Low)}, {"a", lv(rules.High)}, {"b", nil}})
	if err != nil || m != "h0l" {
		t.Fatalf("got %q %v", m, err)
	}
	m, err = Encode(rules.Confidence, subjects, nil)
	if err != nil || m != "000" {
		t.Fatalf("empty ballot: %q %v", m, err)
	}
	for name, choices := range map[string][]Choice{
		"unknown subject": {{"z", lv(rules.High)}},
		"subject twice":   {{"a", lv(rules.High)}, {"a", lv(rules.Low)}},
		"wrong kind":      {{"a", lv(rules.NoTrust)}},
		"bogus level":     {{"a", lv("very_high")}},
	} {
		if _, err := Encode(rules.Confidence, subjects, choices); !apperr.IsKind(err, apperr.Invalid) {
			t.Errorf("%s: got %v", name, err)
		}
	}
	if m, err := Encode(rules.NoConfidence, []string{"a"}, []Choice{{"a", lv(rules.NoTrust)}}); err != nil || m != "n" {
		t.Fatalf("no-confidence: %q %v", m, err)
	}
}

func FuzzParseCode(f *testing.F) {
	f.Add(Format(NewCode()))
	f.Add("0000-0000-0000-0000-0000-0000-000")
	f.Add("ÁÀ--  ")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCode(s)
		if err != nil {
			return
		}
		if len(c) != CodeLen {
			t.Fatalf("accepted %q as %q", s, c)
		}
		again, err := ParseCode(Format(c))
		if err != nil || again != c {
			t.Fatalf("canonical form does not round-trip: %q", c)
		}
	})
}
