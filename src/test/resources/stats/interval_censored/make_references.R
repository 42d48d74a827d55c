# Reference numbers for org.iopoutcomes.stats.Turnbull (interval-censored time to first relapse).
# Run by hand, never in CI, from this folder:
#   Rscript make_references.R
# Needs Debian's r-base-core (R 4.2.2) and r-cran-survival (3.5-3).
# Reads tiny_ic.csv (hand-made); writes edge_cases.csv, visits.csv, mostly_right.csv (data made here),
# ic_curves.csv, ic_at_times.csv and sessionInfo.txt.
# Number format as in ../competing_risks: doubles with sprintf("%.17g"), whole numbers without a decimal point,
# empty field = NA, NaN / Infinity / -Infinity as those words (Java's Double.parseDouble reads them), nothing
# quoted. Data files: l and r in days, an empty field = NA (R's missing end of the interval).
suppressPackageStartupMessages(library(survival))
stopifnot(packageVersion("survival") == "3.5.3")

num <- function(x) ifelse(is.na(x) & !is.nan(x), "",
                   ifelse(is.nan(x), "NaN",
                   ifelse(x == Inf, "Infinity",
                   ifelse(x == -Inf, "-Infinity", sprintf("%.17g", x)))))
write_ref <- function(df, file) {
  for (col in names(df)) if (is.double(df[[col]])) df[[col]] <- num(df[[col]])
  write.csv(df, file, row.names = FALSE, quote = FALSE, na = "")
}
read_ic <- function(file) {
  d <- read.csv(file)
  d$l <- as.numeric(d$l)
  d$r <- as.numeric(d$r)
  d
}
kinds <- function(d) table(factor(ifelse(is.na(d$l), "left", ifelse(is.na(d$r), "right",
                                  ifelse(d$l == d$r, "exact", "interval"))),
                                  c("interval", "exact", "right", "left")))

## ---------------------------------------------------------------------------------------------------------
## Data sets, each as (l, r): the relapse lies in (l, r]; l = r exact; r = NA right-censored at l;
## l = NA left-censored at r. l = 0 is read by R as the interval (0, r], not as left-censored.

# 1. tiny_ic.csv: hand-made, 16 subjects, every kind with ties: intervals (1, 3] twice, (2, 6], (0, 4] (l = 0),
#    (4, 7], (3, 5]; exact at 2 twice and at 5 (the right end of (3, 5]); right-censored at 3 (the left end of
#    (3, 5]), 5 (the exact time 5), 6 and 7; left-censored at 2 (the exact time 2) and twice at 4.
tiny <- read_ic("tiny_ic.csv")
stopifnot(all(kinds(tiny) > 0), nrow(tiny) == 16)

# 2. edge_cases.csv: small sets for R's corner cases, one fit each.
edge <- rbind(
  # disjoint intervals, one jump time each: the weights should be 2, 2, 1 but (1/x)*x is not always 1 in
  # floating point, so survfitKM sees a fractional weight and uses the infinitesimal jackknife
  data.frame(dataset = "edge_disjoint", l = c(0, 0, 2, 2, 5), r = c(1, 1, 4, 4, 6)),
  # the same with jumps 1/2, 1/2: every weight whole, Greenwood's standard error of -log S
  data.frame(dataset = "edge_whole", l = c(0, 0, 2, 2), r = c(1, 1, 4, 4)),
  # left-censored at 1 before the first jump time (1.5): R makes it an event at 1 and reports n.event 0 there
  data.frame(dataset = "edge_left_early", l = c(NA, NA, 3, 1), r = c(1, 2, 5, NA)),
  # l = 0: (0, 3] excludes the exact event at 0 ...
  data.frame(dataset = "edge_zero_left", l = c(0, 0, 0, 2), r = c(0, 3, 3, NA)),
  # ... l = NA: left-censored at 3 includes it (a different estimate)
  data.frame(dataset = "edge_na_left", l = c(0, NA, NA, 2), r = c(0, 3, 3, NA)),
  # a left-censored subject alone: before every jump time (there is none), so an event at 5; with it made
  # exact no censored subject is left and the phantom subject is spread too (S = 1/3) ...
  data.frame(dataset = "edge_left_alone", l = c(NA, 10), r = c(5, NA)),
  # ... while (0, 5] opens at 0 and has its own jump time, 2.5 (S = 1/2)
  data.frame(dataset = "edge_zero_alone", l = c(0, 10), r = c(5, NA)),
  # right-censored only: no jump time, S = 1
  data.frame(dataset = "edge_right_only", l = c(1, 2, 3), r = c(NA, NA, NA)),
  # right-censored and one exact: R's phantom subject of weight 1 is spread over the only jump time
  data.frame(dataset = "edge_one_exact", l = c(1, 2, 3, 4), r = c(NA, NA, NA, 4))
)
edge <- data.frame(dataset = edge$dataset, id = seq_len(nrow(edge)), l = edge$l, r = edge$r)
write_ref(edge, "edge_cases.csv")
edge <- read.csv("edge_cases.csv")
edge$l <- as.numeric(edge$l)
edge$r <- as.numeric(edge$r)

# 3. visits.csv: generated, set.seed(20240615) (R's default Mersenne-Twister / Inversion / Rejection).
#    300 participants discharged at day 0. True day of first relapse Weibull(shape 0.8, scale 240). Contacts
#    (toxicology screen or check-in) near every 30 days, day 30 k + U{-5..5} for k = 1..14, each missed with
#    probability 1/4; follow-up ends at U(90, 420) days (drop-out or data cut), no contact after it. A relapse
#    is seen only at the first contact on or after it, so the data are (last contact before the relapse, first
#    contact on or after it]; l = 0 (discharge, abstinent) when no contact came before the relapse; r = NA
#    (right-censored at the last contact, or at 0) when no contact came after it.
set.seed(20240615)
n <- 300
relapse <- rweibull(n, shape = 0.8, scale = 240)
end <- runif(n, 90, 420)
l <- r <- numeric(n)
for (i in seq_len(n)) {
  day <- 30 * (1:14) + sample(-5:5, 14, replace = TRUE)
  kept <- runif(14) > 0.25
  v <- day[kept & day <= end[i]]
  before <- v[v < relapse[i]]
  after <- v[v >= relapse[i]]
  l[i] <- if (length(before) > 0) max(before) else 0
  r[i] <- if (length(after) > 0) min(after) else NA
}
visits <- data.frame(id = seq_len(n), l = l, r = r)
write_ref(visits, "visits.csv")
visits <- read_ic("visits.csv")
k <- kinds(visits)
# the properties the tests rely on: intervals (some from 0) and right-censored, ties, fewer pairs than subjects
stopifnot(k["interval"] > 100, k["right"] > 30, k["exact"] == 0, k["left"] == 0,
          any(visits$l == 0 & !is.na(visits$r)), anyDuplicated(visits[!is.na(visits$r), c("l", "r")]) > 0,
          nrow(unique(visits[, c("l", "r")])) < n)

# 4. mostly_right.csv: generated, set.seed(20240616). 250 participants, relapse day exponential with mean 700,
#    follow-up U(20, 400) days, the earlier of the two rounded up to a whole day: an exact relapse day (l = r)
#    or right-censored (r = NA). No interval- or left-censored subject at all, so R spreads its phantom
#    subject and the estimate is not the Kaplan-Meier (TurnbullTest shows by how much).
set.seed(20240616)
n <- 250
relapse <- rexp(n, 1 / 700)
follow <- runif(n, 20, 400)
day <- ceiling(pmin(relapse, follow))
mostly_right <- data.frame(id = seq_len(n), l = day, r = ifelse(relapse <= follow, day, NA))
write_ref(mostly_right, "mostly_right.csv")
mostly_right <- read_ic("mostly_right.csv")
k <- kinds(mostly_right)
exact_days <- mostly_right$l[!is.na(mostly_right$r)]
stopifnot(k["right"] > 150, k["exact"] > 20, k["interval"] == 0, k["left"] == 0,
          anyDuplicated(exact_days) > 0, any(exact_days %in% mostly_right$l[is.na(mostly_right$r)]))

datasets <- list(
  tiny = list(data = tiny, times = c(0, 1, 2, 2.5, 3, 4, 5.5, 6, 10)),
  visits = list(data = visits, times = c(0, 30, 60, 90, 180, 270, 365, 500)),
  mostly_right = list(data = mostly_right, times = c(0, 30, 90, 180, 365, 400))
)
for (name in unique(edge$dataset)) {
  datasets[[name]] <- list(data = edge[edge$dataset == name, ], times = c(0, 0.5, 1, 2, 3, 5, 10))
}

## ---------------------------------------------------------------------------------------------------------
## Turnbull: survfit(Surv(l, r, type = "interval2") ~ 1, data = d) (survival:::survfitTurnbull), and the
## same with conf.type = "log-log" and "plain" for the other interval columns (the estimate does not depend
## on conf.type). Curves: every row of the fit. At times: summary(fit, times = TIMES, extend = TRUE).

rows_of <- function(dataset, fit, fit_ll, fit_pl) {
  data.frame(dataset = dataset, time = fit$time, n_risk = fit$n.risk, n_event = fit$n.event,
             n_censor = fit$n.censor, surv = fit$surv, std_err = fit$std.err,
             lower = fit$lower, upper = fit$upper, lower_loglog = fit_ll$lower, upper_loglog = fit_ll$upper,
             lower_plain = fit_pl$lower, upper_plain = fit_pl$upper)
}

# edge_right_only has no jump time: R warns "no non-missing arguments to min" and "... to max" (its EM stops
# after two iterations on an empty vector) and returns S = 1; edge_left_alone warns about min too.
curves <- list()
at_times <- list()
for (name in names(datasets)) {
  d <- datasets[[name]]$data
  # the calls, written in TurnbullTest beside the comparisons
  fit <- survfit(Surv(l, r, type = "interval2") ~ 1, data = d)
  fit_ll <- survfit(Surv(l, r, type = "interval2") ~ 1, data = d, conf.type = "log-log")
  fit_pl <- survfit(Surv(l, r, type = "interval2") ~ 1, data = d, conf.type = "plain")
  stopifnot(fit$type == "interval", fit$conf.type == "log", fit$n == nrow(d),
            identical(fit$surv, fit_ll$surv), identical(fit$surv, fit_pl$surv))
  curves[[name]] <- rows_of(name, fit, fit_ll, fit_pl)
  times <- datasets[[name]]$times
  at_times[[name]] <- rows_of(name, summary(fit, times = times, extend = TRUE),
                              summary(fit_ll, times = times, extend = TRUE),
                              summary(fit_pl, times = times, extend = TRUE))
}
write_ref(do.call(rbind, curves), "ic_curves.csv")
write_ref(do.call(rbind, at_times), "ic_at_times.csv")

writeLines(capture.output(sessionInfo()), "sessionInfo.txt")
