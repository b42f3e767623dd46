package org.cbhealth.routes.directory;

/** The fields of a partner's department export that the hub understands; partners map their columns to them. */
public enum DirectoryField {
    DEPARTMENT_CODE(true),
    DEPARTMENT_NAME(true),
    SPECIALTY_CODE(false),
    SPECIALTY_TEXT(false),
    HEAD_NAME(false),
    HEAD_ID(false),
    PHONE(false),
    EMAIL(false),
    LANGUAGES(false),
    ACCEPTS_CROSS_BORDER(false);

    private final boolean required;

    DirectoryField(boolean required) {
        this.required = required;
    }

    /** Whether a row without a value for this field is refused. */
    public boolean required() {
        return required;
    }
}
