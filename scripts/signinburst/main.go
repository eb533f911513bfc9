// Command signinburst sends concurrent wrong-password sign-ins to a running
// server and reports the answers and the server's peak memory (VmHWM of
// -pid, read from /proc), to show what the sign-in throttle and the bound
// on concurrent password hashing do under a burst:
//
//	go run ./scripts/signinburst -url http://127.0.0.1:8080 -pid $(pgrep -n interviewplanner) -n 100
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "server URL")
	n := flag.Int("n", 100, "concurrent wrong guesses")
	email := flag.String("email", "admin@example.com", "address to guess for; with -spread, a different address per guess")
	spread := flag.Bool("spread", false, "use n different addresses (guess1+EMAIL …), so a per-address throttle does not stop the burst")
	pid := flag.Int("pid", 0, "server process id, for its peak memory")
	flag.Parse()

	if *pid != 0 {
		fmt.Printf("server peak RSS before: %s\n", peakRSS(*pid))
	}
	client := &http.Client{Timeout: 5 * time.Minute, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport: &http.Transport{MaxIdleConnsPerHost: *n, MaxConnsPerHost: *n}}
	var mu sync.Mutex
	codes := map[int]int{}
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range *n {
		addr := *email
		if *spread {
			addr = fmt.Sprintf("guess%d+%s", i, *email)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			form := url.Values{"email": {addr}, "password": {fmt.Sprintf("wrong-guess-%d", i)}}
			req, _ := http.NewRequest(http.MethodPost, *base+"/signin", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", *base)
			res, err := client.Do(req)
			code := -1
			if err == nil {
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				code = res.StatusCode
			}
			mu.Lock()
			codes[code]++
			mu.Unlock()
		}()
	}
	t0 := time.Now()
	close(start)
	wg.Wait()
	fmt.Printf("%d guesses in %s\n", *n, time.Since(t0).Round(time.Millisecond))
	var keys []int
	for k := range codes {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	for _, k := range keys {
		fmt.Printf("  status %d: %d\n", k, codes[k])
	}
	if *pid != 0 {
		fmt.Printf("server peak RSS after: %s\n", peakRSS(*pid))
	}
}

// peakRSS reads the high-water mark of a process's resident memory.
func peakRSS(pid int) string {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}
