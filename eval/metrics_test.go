package eval

import (
	"math"
	"slices"
	"testing"
)

// cutoff is the rank depth of every measure.
const cutoff = 10

// relevant is the lowest grade that counts as relevant for MRR and P@5.
const relevant = 2

// gain is the graded gain of a grade: 2^grade − 1.
func gain(grade int) float64 { return math.Exp2(float64(grade)) - 1 }

// dcg is the discounted cumulative gain of grades in rank order, to cutoff.
func dcg(grades []int) float64 {
	s := 0.0
	for i, g := range grades[:min(len(grades), cutoff)] {
		s += gain(g) / math.Log2(float64(i+2))
	}
	return s
}

// ndcg is nDCG@cutoff of the ranked grades against every judged grade
// (the ideal ranking sorts them). It is 0 when nothing is judged relevant.
func ndcg(ranked, judged []int) float64 {
	ideal := slices.Clone(judged)
	slices.SortFunc(ideal, func(a, b int) int { return b - a })
	best := dcg(ideal)
	if best == 0 {
		return 0
	}
	return dcg(ranked) / best
}

// reciprocalRank is 1/rank of the first relevant grade, 0 when none.
func reciprocalRank(ranked []int) float64 {
	for i, g := range ranked[:min(len(ranked), cutoff)] {
		if g >= relevant {
			return 1 / float64(i+1)
		}
	}
	return 0
}

// precisionAt is the share of the first k ranks holding a relevant grade.
func precisionAt(k int, ranked []int) float64 {
	n := 0
	for _, g := range ranked[:min(len(ranked), k)] {
		if g >= relevant {
			n++
		}
	}
	return float64(n) / float64(k)
}

func TestMeasures(t *testing.T) {
	tests := []struct {
		name           string
		ranked, judged []int
		ndcg, rr, p5   float64
	}{
		{"ideal order", []int{3, 2, 1}, []int{1, 2, 3}, 1, 1, 0.4},
		{"reversed", []int{1, 2, 3}, []int{3, 2, 1}, (1 + 3/math.Log2(3) + 7.0/2) / (7 + 3/math.Log2(3) + 1.0/2), 0.5, 0.4},
		{"nothing found", nil, []int{3}, 0, 0, 0},
		{"missing one", []int{0, 3}, []int{3, 3}, (7 / math.Log2(3)) / (7 + 7/math.Log2(3)), 0.5, 0.2},
		{"beyond cutoff ignored", []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3}, []int{3}, 0, 0, 0},
		{"nothing judged", []int{0, 0}, nil, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ndcg(tt.ranked, tt.judged); math.Abs(got-tt.ndcg) > 1e-9 {
				t.Errorf("ndcg(%v, %v) = %.6f, want %.6f", tt.ranked, tt.judged, got, tt.ndcg)
			}
			if got := reciprocalRank(tt.ranked); math.Abs(got-tt.rr) > 1e-9 {
				t.Errorf("reciprocalRank(%v) = %.3f, want %.3f", tt.ranked, got, tt.rr)
			}
			if got := precisionAt(5, tt.ranked); math.Abs(got-tt.p5) > 1e-9 {
				t.Errorf("precisionAt(5, %v) = %.3f, want %.3f", tt.ranked, got, tt.p5)
			}
		})
	}
}
