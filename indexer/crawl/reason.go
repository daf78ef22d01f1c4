package crawl

import (
	"errors"
	"strconv"
)

// Reason codes of a Failure or of a skipped host (HostReport.Skipped). An HTTP status
// without a code of its own is reported as "http_<status>" (http_403, http_500, http_503…).
const (
	ReasonInvalidURL            = "invalid_url"                  // a seed that is not an absolute http(s) URL
	ReasonDestinationBlocked    = "destination_blocked"          // named host resolved to a non-public address
	ReasonRedirectBlocked       = "redirect_blocked"             // redirect out of scope or to another scheme
	ReasonTooManyRedirects      = "too_many_redirects"           // more than MaxRedirects
	ReasonRedirectLoop          = "redirect_loop"                // a redirect back to a URL of the same chain
	ReasonRobotsDisallowed      = "robots_disallowed"            // robots.txt forbids the URL
	ReasonContentTooLarge       = "content_too_large"            // Content-Length above MaxBodyBytes
	ReasonDecompressedTooLarge  = "decompressed_body_too_large"  // compressed body expanding past the cap
	ReasonUnsupportedType       = "unsupported_content_type"     // not HTML, or binary labelled as HTML
	ReasonUnsupportedEncoding   = "unsupported_content_encoding" // a Content-Encoding we did not ask for
	ReasonPDFTooLarge           = "pdf_too_large"                // a PDF above MaxPDFBytes (declared or read)
	ReasonNotFound              = "http_404"
	ReasonGone                  = "gone" // 410
	ReasonTimeout               = "fetch_timeout"
	ReasonFetchError            = "fetch_error" // connection refused, reset, bad gzip…
	ReasonPanic                 = "panic"       // handle panicked on the page
	ReasonRobotsUnavailable     = "robots_unavailable"
	ReasonCrawlDelayExceedsMax  = "crawl_delay_exceeds_max"
	ReasonRetryAfterExceedsCap  = "retry_after_exceeds_cap"
	ReasonTooManyFailures       = "too_many_failures" // MaxConsecutiveFailures reached on a host
	ReasonHostSkipped           = "host_skipped"      // the host was given up earlier in the run
	reasonCanceled              = "canceled"
	reasonStatusPrefix          = "http_"
	reasonUnexpectedNotModified = "http_304"
	reasonRedirectWithoutTarget = "redirect_without_location"
)

// statusReason names an HTTP status that ends a fetch.
func statusReason(status int) string {
	switch status {
	case 404:
		return ReasonNotFound
	case 410:
		return ReasonGone
	}
	return reasonStatusPrefix + strconv.Itoa(status)
}

// fetchError is a fetch that produced no usable response.
type fetchError struct {
	reason     string
	status     int
	err        error
	retryable  bool
	retryAfter string // raw Retry-After header of a 429/5xx
}

func (e *fetchError) Error() string {
	if e.err != nil {
		return e.reason + ": " + e.err.Error()
	}
	return e.reason
}

func (e *fetchError) Unwrap() error { return e.err }

func newFetchError(reason string, err error) *fetchError {
	return &fetchError{reason: reason, err: err}
}

// ErrNoSeeds is returned by Crawl when no seed is an absolute http(s) URL.
var ErrNoSeeds = errors.New("crawl: no valid seed")
