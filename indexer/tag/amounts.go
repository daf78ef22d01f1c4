package tag

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	// $2 million, US$12 to 15 billion, $94-150 million, $395M, $60,000,000, USD 5 million
	reMoney = regexp.MustCompile(`(?i)(?:\bUS\s?\$|\bUSD\s?|\$)\s?(\d[\d,]*(?:\.\d+)?)(?:\s?(?:-|–|to)\s?(?:US\s?\$|\$)?\s?(\d[\d,]*(?:\.\d+)?))?(?:\s?(million|billion|thousand|trillion|mn|bn|mil|m|b|k)\b)?`)
	// 5 million dollars
	reMoneyWords = regexp.MustCompile(`(?i)\b(\d[\d,]*(?:\.\d+)?)\s(million|billion|thousand)\s(?:U\.S\.\s|US\s)?dollars\b`)
	// a budget table in thousands: Budget Summary ($000), $ in thousands, (in thousands of dollars)
	reThousands = regexp.MustCompile(`(?i)\(\s*\$\s*000s?\s*\)|\$\s*in\s+thousands|\(\s*\$\s*thousands\s*\)|\(\s*\$\s*K\s*\)|in\s+thousands\s+of\s+(?:U\.?S\.?\s+)?dollars|\(\s*thousands\s+of\s+(?:U\.?S\.?\s+)?dollars\s*\)|\(\s*in\s+\$\s*000s?\s*\)|\(\s*dollars\s+in\s+thousands\s*\)|dollars\s+in\s+thousands`)
	reCell      = regexp.MustCompile(`^\(?\$?\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\)?\*?$`)
)

var multipliers = map[string]float64{
	"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "mil": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12,
}

// amountHit is a money amount in US dollars with the words that show it.
type amountHit struct {
	value float64
	text  string
}

// extractAmounts returns the money amounts of text in dollars. A range yields
// both ends ("$94-150 million" → 94e6 and 150e6). headers are the title and
// headings: a "($000)" there makes the table figures of text thousands too.
func extractAmounts(text string, headers []string) []amountHit {
	if !strings.ContainsAny(text, "0123456789") {
		return nil
	}
	var out []amountHit
	if strings.Contains(text, "$") || strings.Contains(text, "USD") {
		for _, m := range reMoney.FindAllStringSubmatch(text, -1) {
			mult := 1.0
			if m[3] != "" {
				mult = multipliers[strings.ToLower(m[3])]
			}
			for _, num := range []string{m[1], m[2]} {
				if v, ok := parseNumber(num); ok && v > 0 {
					out = append(out, amountHit{value: v * mult, text: strings.TrimSpace(m[0])})
				}
			}
		}
	}
	if strings.Contains(text, "dollars") {
		for _, m := range reMoneyWords.FindAllStringSubmatch(text, -1) {
			if v, ok := parseNumber(m[1]); ok && v > 0 {
				out = append(out, amountHit{value: v * multipliers[strings.ToLower(m[2])], text: m[0]})
			}
		}
	}
	return append(out, tableThousands(text, headers)...)
}

func parseNumber(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	s = strings.ReplaceAll(s, ",", "")
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

// tableThousands reads the bare figures of table rows (cells separated by " | "
// or tabs) that follow a thousands header, multiplied by 1,000.
func tableThousands(text string, headers []string) []amountHit {
	if !strings.Contains(text, "|") && !strings.Contains(text, "\t") {
		return nil
	}
	start := -1
	for _, h := range headers {
		if mayHoldThousands(h) && reThousands.MatchString(h) {
			start = 0
			break
		}
	}
	if start >= 0 || !mayHoldThousands(text) {
		// header known, or none possible
	} else if loc := reThousands.FindStringIndex(text); loc != nil {
		start = loc[0]
	}
	if start < 0 {
		return nil
	}
	var out []amountHit
	for _, line := range strings.Split(text[start:], "\n") {
		if !strings.Contains(line, "|") && !strings.Contains(line, "\t") {
			continue
		}
		cells := strings.FieldsFunc(line, func(r rune) bool { return r == '|' || r == '\t' })
		for _, c := range cells {
			c = strings.TrimSpace(c)
			m := reCell.FindStringSubmatch(c)
			if m == nil {
				continue
			}
			v, ok := parseNumber(m[1])
			if !ok || v <= 0 {
				continue
			}
			if !strings.Contains(m[1], ",") && len(m[1]) == 4 && inRange(int(v)) && !strings.Contains(c, ".") {
				continue // a year column header
			}
			f, _ := parseNumber(strings.Trim(c, "()$* "))
			if f > 0 {
				v = f
			}
			out = append(out, amountHit{value: v * 1000, text: c})
		}
	}
	return out
}

// mayHoldThousands is a cheap test before reThousands.
func mayHoldThousands(s string) bool {
	return strings.Contains(s, "000") || strings.Contains(s, "housand") || strings.Contains(s, "$K") || strings.Contains(s, "$ K")
}
