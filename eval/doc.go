// Package eval measures the ranking quality of search on the bundled demo
// site. It holds tests only: they build the index the way a crawl does
// (every page of corpus rendered, extracted, tagged and indexed), run the
// researcher queries of testdata/relevance.json, and score the answers with
// nDCG@10 against graded judgments made from the pages themselves. The test
// fails when the mean nDCG@10 falls below 0.80.
//
// The judgments grade passages 3 (exactly about the query), 2 (substantially
// relevant) or 1 (marginal); every other passage counts 0. A judgment names
// a page path and, optionally, a section: the passage's heading path or its
// last headings. Without a section it grades every passage of that page,
// and section judgments of the same page override it.
//
// "dev" queries were run while ranking changes were tried, "holdout" queries
// only after: their mean is the estimate for queries the ranking never saw.
// Beside nDCG@10, MRR and P@5 (grade 2 and up counts as relevant), the table
// shows each query's bound: the nDCG of the best order of the passages it
// matched, which tells missing passages (the words must all match) from
// misordered ones.
//
// Run it with
//
//	go test -v -run Relevance ./eval/
//
// to see the table of queries; -eval.detail also prints every query's top
// ten with their grades.
package eval
