package document

import (
	"fmt"
	"strings"

	"golang.org/x/text/unicode/norm"

	"tinnhiem/internal/civil"
	"tinnhiem/internal/rules"
)

// DateLong writes a date as Vietnamese documents do: "ngày 05 tháng 12 năm 2028", with a leading
// zero for days below 10 and for January and February (Nghị định 30/2020).
func DateLong(d civil.Date) string {
	month := fmt.Sprint(int(d.Month))
	if d.Month <= 2 {
		month = fmt.Sprintf("%02d", int(d.Month))
	}
	return fmt.Sprintf("ngày %02d tháng %s năm %d", d.Day, month, d.Year)
}

// DateShort writes "05/12/2028".
func DateShort(d civil.Date) string {
	return fmt.Sprintf("%02d/%02d/%d", d.Day, int(d.Month), d.Year)
}

// PercentTable writes an API percentage ("53.19") for a table: "53,19".
func PercentTable(p string) string { return rules.DecimalComma(p) }

// PercentProse writes an API percentage for running text: "53,19%", and "0%" for zero.
func PercentProse(p string) string {
	if p == "0.00" {
		return "0%"
	}
	return rules.DecimalComma(p) + "%"
}

var (
	digits = []string{"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"}
)

// NumberWords writes a whole number from 0 to 999 999 in Vietnamese words ("năm mươi mốt").
func NumberWords(n int) string {
	if n < 0 || n > 999999 {
		return fmt.Sprint(n)
	}
	if n < 1000 {
		return hundreds(n, false)
	}
	thousands, rest := n/1000, n%1000
	s := hundreds(thousands, false) + " nghìn"
	if rest > 0 {
		s += " " + hundreds(rest, true)
	}
	return s
}

// hundreds writes 0..999; full writes "không trăm" and "lẻ" as needed after a higher group.
func hundreds(n int, full bool) string {
	h, t, u := n/100, (n/10)%10, n%10
	var parts []string
	if h > 0 || full {
		parts = append(parts, digits[h]+" trăm")
	}
	switch {
	case t == 0 && u == 0:
		if len(parts) == 0 {
			return digits[0]
		}
		return strings.Join(parts, " ")
	case t == 0:
		if len(parts) > 0 {
			parts = append(parts, "lẻ")
		}
		parts = append(parts, digits[u])
		return strings.Join(parts, " ")
	case t == 1:
		parts = append(parts, "mười")
	default:
		parts = append(parts, digits[t]+" mươi")
	}
	switch {
	case u == 0:
	case u == 1 && t > 1:
		parts = append(parts, "mốt")
	case u == 4 && t > 1:
		parts = append(parts, "tư")
	case u == 5:
		parts = append(parts, "lăm")
	default:
		parts = append(parts, digits[u])
	}
	return strings.Join(parts, " ")
}

// Upper writes Vietnamese capitals (Unicode case mapping handles every tone mark), in NFC.
func Upper(s string) string { return NFC(strings.ToUpper(s)) }

// NFC normalises text before it reaches a renderer (the PDF library does no shaping).
func NFC(s string) string { return norm.NFC.String(s) }

// LevelHeader is a level's column heading.
func LevelHeader(l rules.Level) string { return l.Label() }
