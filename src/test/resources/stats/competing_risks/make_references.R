# Reference numbers for org.iopoutcomes.stats.AalenJohansen and GrayTest (competing risks).
# Run by hand, never in CI, from this folder:
#   Rscript make_references.R
# Needs Debian's r-base-core (R 4.2.2), r-cran-survival (3.5-3), r-cran-cmprsk (2.2-11).
# Writes planted_deaths.csv (generated data), aj_curves.csv, aj_at_times.csv, gray.csv, and for the stats cif
# command uis_cr.csv, codes_cr.csv, cif_codes_curves.csv, cif_codes_at_times.csv, cif_codes_gray.csv; and
# sessionInfo.txt.
# Conventions as in reference/stats/README.md: doubles with sprintf("%.17g"), empty field = NA, nothing quoted.
suppressPackageStartupMessages({
  library(survival)
  library(cmprsk)
})
stopifnot(packageVersion("survival") == "3.5.3", packageVersion("cmprsk") == "2.2.11")

num <- function(x) ifelse(is.na(x) & !is.nan(x), "",
                          ifelse(is.nan(x), "NaN", sprintf("%.17g", x)))
write_ref <- function(df, file) {
  for (col in names(df)) if (is.double(df[[col]])) df[[col]] <- num(df[[col]])
  write.csv(df, file, row.names = FALSE, quote = FALSE, na = "")
}

## ---------------------------------------------------------------------------------------------------------
## Data sets: every one as (time, status, group); status 0 = censored, 1 and 2 = the competing states.

# 1. tiny_cr.csv: hand-made, 15 subjects in groups a and b. Ties between states (a: t = 2 has one of each state
#    and a censoring; b: t = 3 has two state-1 events, one state-2 event and a censoring).
tiny <- read.csv("tiny_cr.csv")
# Two variants with a third group "c" that never has a transition: in tiny_singular its only subject is
# censored before the first transition (Gray's variance matrix is singular: cuminc reports stat -1, pv 1); in
# tiny_idle it also has a subject under observation to the end.
tiny_singular <- rbind(tiny, data.frame(id = 16, group = "c", time = 0.5, status = 0))
tiny_idle <- rbind(tiny, data.frame(id = 16:17, group = "c", time = c(0.5, 7), status = 0))

# 2. planted_deaths.csv: generated here (seed below), three programs. Relapse (1) and death (2) are
#    exponential with rates per program; the death rate is planted large enough to matter. Follow-up is
#    checked weekly, so every time is rounded up to a multiple of 7 days: events of both states and censorings
#    share days. Loss to follow-up is uniform on (0, 500) days, administrative end at day 364.
set.seed(20240614)
programs <- data.frame(group = c("prog-a", "prog-b", "prog-c"), n = c(90, 110, 60),
                       relapse_rate = c(1 / 300, 1 / 250, 1 / 400), death_rate = c(1 / 900, 1 / 1500, 1 / 600))
planted <- do.call(rbind, lapply(seq_len(nrow(programs)), function(i) {
  p <- programs[i, ]
  relapse <- rexp(p$n, p$relapse_rate)
  death <- rexp(p$n, p$death_rate)
  loss <- runif(p$n, 0, 500)
  end <- pmin(relapse, death, loss, 364)
  status <- ifelse(end == relapse, 1L, ifelse(end == death, 2L, 0L))
  data.frame(group = p$group, time = ceiling(end / 7) * 7, status = status)
}))
planted <- data.frame(id = seq_len(nrow(planted)), planted)
# the properties the tests rely on
both_states <- with(planted, any(tapply(status, paste(group, time), function(s) all(1:2 %in% s))))
censor_at_event <- with(planted, any(tapply(status, paste(group, time), function(s) 0 %in% s && any(s > 0))))
stopifnot(both_states, censor_at_event, all(table(planted$group, planted$status) > 0))
write.csv(planted, "planted_deaths.csv", row.names = FALSE, quote = FALSE)
planted <- read.csv("planted_deaths.csv")

# 3. UIS (Hosmer & Lemeshow), ../../real/uis.csv, a copy of shared/reference/real/uis.csv. Competing events
#    from admission, whichever comes first:
#      state 2 = left treatment early: FRAC < 1 (stayed less than the planned length) and LEN.T < TIME
#                (left before returning to drug use); time = LEN.T.
#      state 1 = returned to drug use (CENSOR == 1) otherwise; time = TIME.
#      0       = censored at TIME otherwise.
#    Groups: TREAT (0 = short, 1 = long program) and treat_site = paste0("t", TREAT, "s", SITE) (4 groups).
uis_raw <- read.csv("../../real/uis.csv")
left_early <- uis_raw$FRAC < 1 & uis_raw$LEN.T < uis_raw$TIME
uis <- data.frame(id = uis_raw$ID,
                  time = ifelse(left_early, uis_raw$LEN.T, uis_raw$TIME),
                  status = ifelse(left_early, 2L, uis_raw$CENSOR),
                  TREAT = uis_raw$TREAT,
                  treat_site = paste0("t", uis_raw$TREAT, "s", uis_raw$SITE))

datasets <- list(
  tiny = list(data = tiny, groups = "group", times = c(0, 0.5, 1, 2, 2.5, 5, 6, 10)),
  tiny_singular = list(data = tiny_singular, groups = "group", times = c(0, 0.5, 1, 2, 2.5, 5, 6, 10)),
  tiny_idle = list(data = tiny_idle, groups = "group", times = c(0, 0.5, 1, 2, 2.5, 5, 6, 10)),
  planted_deaths = list(data = planted, groups = "group", times = c(0, 30, 90, 180, 365, 400)),
  uis = list(data = uis, groups = c("TREAT", "treat_site"), times = c(30, 90, 180, 365, 730, 1200))
)

## ---------------------------------------------------------------------------------------------------------
## Aalen-Johansen: survfit(Surv(time, factor(status)) ~ group, data) (multi-state, no id: infinitesimal
## jackknife variance; conf.type "log" is the default), plus the same fit with conf.type "log-log" and "plain".
## Curves: every row of the fit. At times: summary(fit, times = ..., extend = TRUE).

long_rows <- function(dataset, group_col, fit, fit_ll, fit_pl, strata_of_row, time) {
  states <- fit$states
  out <- list()
  for (j in seq_along(states)) {
    out[[j]] <- data.frame(
      dataset = dataset, group_col = group_col, group = strata_of_row, state = states[j], time = time,
      n_risk = fit$n.risk[, j], n_event = fit$n.event[, j], n_censor = fit$n.censor,
      pstate = fit$pstate[, j], std_err = fit$std.err[, j], lower = fit$lower[, j], upper = fit$upper[, j],
      lower_loglog = fit_ll$lower[, j], upper_loglog = fit_ll$upper[, j],
      lower_plain = fit_pl$lower[, j], upper_plain = fit_pl$upper[, j])
  }
  do.call(rbind, out)
}

strata_labels <- function(fit, group_col) {
  if (is.null(fit$strata)) return(rep("all", length(fit$time)))
  sub(paste0("^", group_col, "="), "", rep(names(fit$strata), fit$strata))
}

curves <- list()
at_times <- list()
for (name in names(datasets)) {
  ds <- datasets[[name]]
  for (group_col in c("", ds$groups)) {
    d <- ds$data
    formula <- if (group_col == "") Surv(time, factor(status)) ~ 1 else
      as.formula(paste("Surv(time, factor(status)) ~", group_col))
    # the calls, written in AalenJohansenTest beside the comparisons
    fit <- survfit(formula, data = d)
    stopifnot(fit$conf.type == "log", identical(fit$states, c("(s0)", "1", "2")))
    fit_ll <- survfit(formula, data = d, conf.type = "log-log")
    fit_pl <- survfit(formula, data = d, conf.type = "plain")
    label <- if (group_col == "") "" else group_col
    curves[[length(curves) + 1]] <- long_rows(name, label, fit, fit_ll, fit_pl,
                                              strata_labels(fit, group_col), fit$time)
    s <- summary(fit, times = ds$times, extend = TRUE)
    s_ll <- summary(fit_ll, times = ds$times, extend = TRUE)
    s_pl <- summary(fit_pl, times = ds$times, extend = TRUE)
    srow <- if (is.null(s$strata)) rep("all", length(s$time)) else sub(paste0("^", group_col, "="), "",
                                                                        as.character(s$strata))
    at_times[[length(at_times) + 1]] <- long_rows(name, label, s, s_ll, s_pl, srow, s$time)
  }
}
write_ref(do.call(rbind, curves), "aj_curves.csv")
write_ref(do.call(rbind, at_times), "aj_at_times.csv")

## ---------------------------------------------------------------------------------------------------------
## Gray's test: cuminc(ftime, fstatus, group, rho = rho)$Tests (stat, pv, df per cause); rho = 0 is the default.
gray <- list()
for (name in names(datasets)) {
  ds <- datasets[[name]]
  for (group_col in ds$groups) {
    for (rho in c(0, 1)) {
      d <- ds$data
      tests <- cuminc(d$time, d$status, d[[group_col]], rho = rho)$Tests
      gray[[length(gray) + 1]] <- data.frame(dataset = name, group_col = group_col, rho = as.double(rho),
                                             state = rownames(tests), stat = tests[, "stat"],
                                             pv = tests[, "pv"], df = tests[, "df"])
    }
  }
}
write_ref(do.call(rbind, gray), "gray.csv")

## ---------------------------------------------------------------------------------------------------------
## For `outcomes stats cif` (CifCommandEndToEndTest). The data sets above are run by the command from files:
## tiny_cr.csv and planted_deaths.csv as they are, and uis_cr.csv, the competing events of UIS exactly as
## defined above (id, time, status, TREAT, treat_site). Their numbers are those of aj_curves.csv,
## aj_at_times.csv and gray.csv.
write.csv(uis, "uis_cr.csv", row.names = FALSE, quote = FALSE)

## codes_cr.csv: tiny with the group labels 10 (was a) and 9 (was b), numbers, so R's factor order (9, 10)
## differs from the text order ("10", "9"); status 2 of group 10 recoded 3, so the states are 1, 2, 3 with 2
## only in group 9 and 3 only in group 10; one more subject of group 9 with state 1 at the time 4.5; and two
## rows with an empty field (status; group), which R leaves out (na.omit; the row without a group stays in
## ~ 1), as the command does. References in the command's own layout, rows by group (R's order), state, time:
##   cif_codes_curves.csv    survfit(Surv(time, factor(status)) ~ g, data = codes)        (g = 1, then group)
##   cif_codes_at_times.csv  summary(fit, times = c(-1, 0, 1, 2, 4.5, 100), extend = TRUE)
##   cif_codes_gray.csv      cuminc(codes$time, codes$status, codes$group)$Tests          (rho = 0)
codes <- data.frame(id = c(tiny$id, 16:18),
                    group = c(ifelse(tiny$group == "a", 10L, 9L), 9L, 10L, NA),
                    time = c(tiny$time, 4.5, 3, 2),
                    status = c(ifelse(tiny$group == "a" & tiny$status == 2, 3L, tiny$status), 1L, NA, 1L))
write.csv(codes, "codes_cr.csv", row.names = FALSE, quote = FALSE, na = "")
codes <- read.csv("codes_cr.csv")
stopifnot(is.integer(codes$group), sum(!complete.cases(codes)) == 2)

cif_layout <- function(s, group_col, strata_of_row) {
  order_groups <- unique(strata_of_row)
  out <- list()
  for (g in order_groups) {
    rows <- strata_of_row == g
    for (j in seq_along(s$states)) {
      out[[length(out) + 1]] <- data.frame(
        group = g, state = s$states[j], time = s$time[rows], n.risk = s$n.risk[rows, j],
        n.event = s$n.event[rows, j], estimate = s$pstate[rows, j], std.err = s$std.err[rows, j],
        lower = s$lower[rows, j], upper = s$upper[rows, j], check.names = FALSE)
    }
  }
  do.call(rbind, out)
}
codes_curves <- list()
codes_at_times <- list()
for (group_col in c("", "group")) {
  formula <- if (group_col == "") Surv(time, factor(status)) ~ 1 else Surv(time, factor(status)) ~ group
  fit <- survfit(formula, data = codes)
  stopifnot(fit$conf.type == "log", identical(fit$states, c("(s0)", "1", "2", "3")))
  codes_curves[[length(codes_curves) + 1]] <- cif_layout(fit, group_col, strata_labels(fit, group_col))
  s <- summary(fit, times = c(-1, 0, 1, 2, 4.5, 100), extend = TRUE)
  srow <- if (is.null(s$strata)) rep("all", length(s$time)) else sub(paste0("^", group_col, "="), "",
                                                                      as.character(s$strata))
  codes_at_times[[length(codes_at_times) + 1]] <- cif_layout(s, group_col, srow)
}
write_ref(do.call(rbind, codes_curves), "cif_codes_curves.csv")
write_ref(do.call(rbind, codes_at_times), "cif_codes_at_times.csv")
tests <- cuminc(codes$time, codes$status, codes$group)$Tests
write_ref(data.frame(state = rownames(tests), stat = tests[, "stat"], df = tests[, "df"], p.value = tests[, "pv"],
                     check.names = FALSE), "cif_codes_gray.csv")

writeLines(capture.output(sessionInfo()), "sessionInfo.txt")
