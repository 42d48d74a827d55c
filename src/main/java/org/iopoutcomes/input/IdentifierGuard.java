package org.iopoutcomes.input;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Refuses columns named like direct identifiers (SPEC section 2): input must be anonymized before it
 * reaches the job. A name matches when, lower-cased with spaces and hyphens read as underscores, it is
 * one of the listed names or ends in '_' followed by one; {@code name} matches only as the whole name,
 * so {@code program_name} is fine and {@code patient_first_name} is not.
 */
public final class IdentifierGuard {
    private IdentifierGuard() {}

    static final List<String> WHOLE_NAME_ONLY = List.of("name");
    static final List<String> IDENTIFIERS = List.of("first_name", "last_name", "full_name", "patient_name",
            "participant_name", "client_name", "ssn", "social_security_number", "dob", "date_of_birth",
            "birth_date", "address", "street_address", "zip", "zip_code", "postal_code", "phone", "phone_number",
            "fax", "email", "mrn", "medical_record_number", "ip_address", "account_number", "license_number",
            "health_plan_id");

    public static String normalize(String column) {
        return column.trim().toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
    }

    /** The identifier a column name matches, if any. */
    public static Optional<String> matchedIdentifier(String column) {
        String normalized = normalize(column);
        if (WHOLE_NAME_ONLY.contains(normalized)) {
            return Optional.of(normalized);
        }
        return IDENTIFIERS.stream()
                .filter(id -> normalized.equals(id) || normalized.endsWith("_" + id))
                .findFirst();
    }

    public static void check(String file, List<String> columns) {
        for (String column : columns) {
            matchedIdentifier(column).ifPresent(id -> {
                throw new InputRejectedException(file + ": column '" + column + "' looks like a direct identifier ('"
                        + id + "'); input must be anonymized: remove the column before running the job");
            });
        }
    }
}
