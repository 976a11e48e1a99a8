// Written to match migrations/{sqlite,postgres}; a test checks the two sets agree.

diesel::table! {
    agencies (id) {
        id -> Text,
        code -> Text,
        name_zh -> Text,
        name_en -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    centres (id) {
        id -> Text,
        agency_id -> Text,
        code -> Text,
        name_zh -> Text,
        name_en -> Text,
        kind -> Text,
        district -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    units (id) {
        id -> Text,
        centre_id -> Text,
        kind -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        username -> Text,
        display_name -> Text,
        password_hash -> Text,
        agency_id -> Nullable<Text>,
        centre_id -> Nullable<Text>,
        unit_id -> Nullable<Text>,
        locale -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    reach_stamps (user_id) {
        user_id -> Text,
        stamp -> BigInt,
    }
}

diesel::table! {
    user_roles (user_id, role) {
        user_id -> Text,
        role -> Text,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        last_active_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_throttle (key) {
        key -> Text,
        window_start -> Timestamp,
        failures -> BigInt,
    }
}

diesel::table! {
    clients (id) {
        id -> Text,
        centre_id -> Text,
        name_zh -> Text,
        name_en -> Text,
        sex -> Text,
        date_of_birth -> Date,
        phone -> Text,
        district -> Nullable<Text>,
        hkid_masked -> Nullable<Text>,
        hkid_hash -> Nullable<Text>,
        search_text -> Text,
        version -> BigInt,
        created_by -> Text,
        updated_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        ethnicity -> Nullable<Text>,
        preferred_language -> Nullable<Text>,
        disabilities -> Text,
        arrived_on -> Nullable<Date>,
        school -> Text,
        date_of_birth_estimated -> Bool,
        merged_into -> Nullable<Text>,
        search_seq -> Nullable<BigInt>,
        on_sensitive_case -> Bool,
    }
}

diesel::table! {
    client_merges (id) {
        id -> Text,
        survivor_id -> Text,
        absorbed_id -> Text,
        reason -> Text,
        moved -> Text,
        merged_by -> Text,
        merged_at -> Timestamp,
    }
}

diesel::table! {
    households (id) {
        id -> Text,
        centre_id -> Text,
        district -> Text,
        address -> Text,
        household_type -> Text,
        housing_type -> Text,
        cssa_status -> Text,
        cssa_case_type -> Nullable<Text>,
        income_band -> Text,
        version -> BigInt,
        created_by -> Text,
        updated_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    household_memberships (id) {
        id -> Text,
        household_id -> Text,
        client_id -> Text,
        relationship -> Text,
        joined_on -> Date,
        left_on -> Nullable<Date>,
        recorded_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    client_name_keys (centre_id, name_key, client_id) {
        centre_id -> Text,
        name_key -> Text,
        client_id -> Text,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        action -> Text,
        entity_type -> Text,
        entity_id -> Nullable<Text>,
        ip -> Nullable<Text>,
        detail -> Nullable<Text>,
    }
}

diesel::table! {
    case_natures (code) {
        code -> Text,
        name_zh -> Text,
        name_en -> Text,
        position -> BigInt,
        active -> Bool,
        version -> BigInt,
    }
}

diesel::table! {
    case_counters (centre_id, year) {
        centre_id -> Text,
        year -> BigInt,
        last_number -> BigInt,
    }
}

diesel::table! {
    cases (id) {
        id -> Text,
        case_number -> Text,
        centre_id -> Text,
        unit_id -> Text,
        client_id -> Text,
        case_type -> Text,
        referral_source -> Text,
        responsible_worker_id -> Text,
        state -> Text,
        state_since -> Date,
        sensitive -> Bool,
        closure_reason -> Nullable<Text>,
        version -> BigInt,
        created_by -> Text,
        updated_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    case_workers (case_id, user_id) {
        case_id -> Text,
        user_id -> Text,
    }
}

diesel::table! {
    held_cases (user_id, case_id) {
        user_id -> Text,
        case_id -> Text,
        shared -> Bool,
        centre_id -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    case_reach (user_id, case_id, client_id) {
        user_id -> Text,
        case_id -> Text,
        client_id -> Text,
        centre_id -> Text,
        shared -> Bool,
        search_seq -> Nullable<BigInt>,
    }
}

diesel::table! {
    case_shares (case_id, user_id) {
        case_id -> Text,
        user_id -> Text,
        shared_by -> Text,
        shared_at -> Timestamp,
    }
}

diesel::table! {
    case_nature_tags (case_id, nature_code) {
        case_id -> Text,
        nature_code -> Text,
    }
}

diesel::table! {
    case_members (case_id, client_id) {
        case_id -> Text,
        client_id -> Text,
    }
}

diesel::table! {
    case_events (id) {
        id -> Text,
        case_id -> Text,
        seq -> BigInt,
        kind -> Text,
        state -> Text,
        effective_on -> Date,
        recorded_at -> Timestamp,
        actor_id -> Text,
        worker_id -> Text,
        centre_id -> Text,
        detail -> Nullable<Text>,
        from_state -> Nullable<Text>,
        from_centre_id -> Nullable<Text>,
        superseded_on -> Nullable<Date>,
        case_type -> Text,
        unit_kind -> Text,
        district -> Nullable<Text>,
        natures -> Text,
    }
}

diesel::table! {
    case_closure_requests (id) {
        id -> Text,
        case_id -> Text,
        closure_reason -> Text,
        closing_summary -> Text,
        closed_on -> Date,
        requested_by -> Text,
        requested_at -> Timestamp,
        status -> Text,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        decision_comment -> Nullable<Text>,
    }
}

diesel::table! {
    case_transfers (id) {
        id -> Text,
        case_id -> Text,
        from_worker_id -> Text,
        from_centre_id -> Text,
        to_worker_id -> Nullable<Text>,
        to_centre_id -> Text,
        reason -> Text,
        requested_by -> Text,
        requested_at -> Timestamp,
        status -> Text,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        decision_comment -> Nullable<Text>,
    }
}

diesel::table! {
    case_notes (id) {
        id -> Text,
        case_id -> Text,
        contact_at -> Timestamp,
        contact_type -> Text,
        duration_minutes -> BigInt,
        other_participants -> Text,
        narrative -> Text,
        author_id -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        search_text -> Nullable<Text>,
        search_seq -> Nullable<BigInt>,
        themes_lexicon -> Nullable<Text>,
    }
}

diesel::table! {
    case_note_participants (note_id, client_id) {
        note_id -> Text,
        client_id -> Text,
    }
}

diesel::table! {
    case_note_corrections (id) {
        id -> Text,
        note_id -> Text,
        narrative -> Text,
        reason -> Text,
        author_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    search_postings (kind, centre_id, gram, first_seq) {
        kind -> Text,
        centre_id -> Text,
        gram -> Text,
        first_seq -> BigInt,
        entries -> BigInt,
        seqs -> Binary,
    }
}

diesel::table! {
    search_sequences (kind) {
        kind -> Text,
        last_seq -> BigInt,
    }
}

diesel::table! {
    case_plans (case_id) {
        case_id -> Text,
        next_review_on -> Nullable<Date>,
        version -> BigInt,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    case_goals (id) {
        id -> Text,
        case_id -> Text,
        description -> Text,
        target_date -> Date,
        status -> Text,
        version -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    case_reviews (id) {
        id -> Text,
        case_id -> Text,
        reviewed_on -> Date,
        summary -> Text,
        next_review_on -> Date,
        reviewer_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    referrals (id) {
        id -> Text,
        case_id -> Text,
        direction -> Text,
        agency_name -> Text,
        service_type -> Text,
        reason -> Text,
        info_shared -> Text,
        status -> Text,
        consented_by_name -> Nullable<Text>,
        consented_by -> Nullable<Text>,
        consent_scope -> Nullable<Text>,
        consented_on -> Nullable<Date>,
        consent_recorded_by -> Nullable<Text>,
        consent_recorded_at -> Nullable<Timestamp>,
        sent_on -> Nullable<Date>,
        follow_up_due -> Nullable<Date>,
        outcome -> Nullable<Text>,
        outcome_on -> Nullable<Date>,
        version -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    enquiries (id) {
        id -> Text,
        centre_id -> Text,
        unit_id -> Text,
        received_at -> Timestamp,
        channel -> Text,
        summary -> Text,
        minutes_spent -> BigInt,
        outcome -> Text,
        name_zh -> Nullable<Text>,
        name_en -> Nullable<Text>,
        sex -> Nullable<Text>,
        phone -> Nullable<Text>,
        age_band -> Nullable<Text>,
        client_id -> Nullable<Text>,
        case_id -> Nullable<Text>,
        version -> BigInt,
        recorded_by -> Text,
        updated_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    enquiry_topics (enquiry_id, nature_code) {
        enquiry_id -> Text,
        nature_code -> Text,
    }
}

diesel::table! {
    intervention_models (code) {
        code -> Text,
        name_zh -> Text,
        name_en -> Text,
        position -> BigInt,
        active -> Bool,
        version -> BigInt,
    }
}

diesel::table! {
    education_themes (code) {
        code -> Text,
        name_zh -> Text,
        name_en -> Text,
        position -> BigInt,
        active -> Bool,
        version -> BigInt,
    }
}

diesel::table! {
    analytics_marks (subject, id) {
        subject -> Text,
        id -> Text,
    }
}

diesel::table! {
    activities (id) {
        id -> Text,
        centre_id -> Text,
        unit_id -> Text,
        kind -> Text,
        format -> Text,
        title_zh -> Text,
        title_en -> Text,
        target_group -> Text,
        mode -> Text,
        capacity -> Nullable<BigInt>,
        venue -> Nullable<Text>,
        meeting_link -> Nullable<Text>,
        planned_start -> Date,
        planned_end -> Date,
        actual_start -> Nullable<Date>,
        actual_end -> Nullable<Date>,
        intervention_model -> Nullable<Text>,
        completion_percent -> BigInt,
        online_views -> Nullable<BigInt>,
        online_participants -> Nullable<BigInt>,
        media_items -> Nullable<BigInt>,
        counting_note -> Nullable<Text>,
        version -> BigInt,
        created_by -> Text,
        updated_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    activity_themes (activity_id, nature_code) {
        activity_id -> Text,
        nature_code -> Text,
    }
}

diesel::table! {
    activity_education_themes (activity_id, theme_code) {
        activity_id -> Text,
        theme_code -> Text,
    }
}

diesel::table! {
    activity_facilitators (activity_id, position) {
        activity_id -> Text,
        position -> BigInt,
        role -> Text,
        user_id -> Nullable<Text>,
        name -> Nullable<Text>,
    }
}

diesel::table! {
    activity_sessions (id) {
        id -> Text,
        activity_id -> Text,
        centre_id -> Text,
        number -> BigInt,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        venue -> Nullable<Text>,
        venue_key -> Nullable<Text>,
        online -> Bool,
        headcount_version -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    enrolments (id) {
        id -> Text,
        activity_id -> Text,
        client_id -> Text,
        status -> Text,
        requested_at -> Timestamp,
        placed_at -> Nullable<Timestamp>,
        withdrawn_at -> Nullable<Timestamp>,
        withdrawal_reason -> Nullable<Text>,
        enrolled_by -> Text,
        version -> BigInt,
        updated_at -> Timestamp,
        sessions_attended -> BigInt,
    }
}

diesel::table! {
    attendance (session_id, client_id) {
        session_id -> Text,
        client_id -> Text,
        enrolment_id -> Text,
        status -> Text,
        online -> Bool,
        version -> BigInt,
        recorded_by -> Text,
        recorded_at -> Timestamp,
        session_starts_at -> Timestamp,
        centre_id -> Text,
        activity_kind -> Text,
        unit_kind -> Text,
        date_of_birth -> Date,
    }
}

diesel::table! {
    session_headcounts (session_id, age_band, sex) {
        session_id -> Text,
        age_band -> Text,
        sex -> Text,
        count -> BigInt,
    }
}

diesel::table! {
    event_headcounts (activity_id, age_band) {
        activity_id -> Text,
        age_band -> Text,
        count -> BigInt,
    }
}

diesel::table! {
    assessments (id) {
        id -> Text,
        client_id -> Text,
        centre_id -> Text,
        case_id -> Nullable<Text>,
        activity_id -> Nullable<Text>,
        instrument -> Text,
        instrument_version -> BigInt,
        stage -> Text,
        administered_on -> Date,
        administered_by -> Nullable<Text>,
        answers -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    instruments (code) {
        code -> Text,
        agency_id -> Text,
        version -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    instrument_versions (code, version) {
        code -> Text,
        version -> BigInt,
        definition -> Text,
        added_by -> Text,
        added_at -> Timestamp,
    }
}

diesel::table! {
    district_populations (district, age_band, sex) {
        district -> Text,
        age_band -> Text,
        sex -> Text,
        population -> BigInt,
    }
}

diesel::table! {
    population_loads (id) {
        id -> Text,
        source -> Text,
        cells -> BigInt,
        total -> BigInt,
        loaded_by -> Text,
        loaded_at -> Timestamp,
    }
}

diesel::table! {
    assessment_scores (assessment_id, scale) {
        assessment_id -> Text,
        scale -> Text,
        raw -> BigInt,
        score_milli -> Nullable<BigInt>,
        band -> Nullable<Text>,
        severity -> Nullable<BigInt>,
        prorated -> Bool,
    }
}

diesel::table! {
    assessment_links (id) {
        id -> Text,
        token_hash -> Text,
        client_id -> Text,
        centre_id -> Text,
        case_id -> Nullable<Text>,
        activity_id -> Nullable<Text>,
        instrument -> Text,
        instrument_version -> BigInt,
        stage -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        assessment_id -> Nullable<Text>,
    }
}

diesel::table! {
    assessment_alerts (assessment_id, alert) {
        assessment_id -> Text,
        alert -> Text,
        acknowledged_by -> Nullable<Text>,
        acknowledged_at -> Nullable<Timestamp>,
        acknowledgement -> Nullable<Text>,
    }
}

diesel::table! {
    service_standards (centre_id, financial_year, indicator) {
        centre_id -> Text,
        financial_year -> BigInt,
        indicator -> Text,
        agreed_level -> BigInt,
        version -> BigInt,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    statistics_workbooks (id) {
        id -> Text,
        requested_by -> Text,
        centre_id -> Nullable<Text>,
        agency_id -> Nullable<Text>,
        financial_year -> BigInt,
        quarter -> Nullable<BigInt>,
        month -> Nullable<BigInt>,
        state -> Text,
        progress -> BigInt,
        file_name -> Nullable<Text>,
        file -> Nullable<Binary>,
        requested_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    child_protection_concerns (id) {
        id -> Text,
        case_id -> Text,
        child_id -> Text,
        harm_types -> Text,
        harm_level -> Text,
        grounds -> Text,
        identified_on -> Date,
        recorded_by -> Text,
        recorded_at -> Timestamp,
        decision -> Nullable<Text>,
        reasons -> Nullable<Text>,
        reported_to -> Nullable<Text>,
        reported_at -> Nullable<Timestamp>,
        reference_number -> Nullable<Text>,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        version -> BigInt,
    }
}

diesel::table! {
    case_risks (case_id) {
        case_id -> Text,
        score -> BigInt,
        flagged -> Bool,
        factors -> Text,
        open -> Bool,
        computed_at -> Nullable<Timestamp>,
        stale -> Bool,
        facts_stale -> Bool,
    }
}

diesel::table! {
    risk_flags (id) {
        id -> Text,
        case_id -> Text,
        raised_at -> Timestamp,
        score -> BigInt,
        threshold -> BigInt,
        factors -> Text,
        status -> Text,
        dismissal_reason -> Nullable<Text>,
        review_note -> Nullable<Text>,
        reviewed_by -> Nullable<Text>,
        reviewed_at -> Nullable<Timestamp>,
        cleared_at -> Nullable<Timestamp>,
        version -> BigInt,
    }
}

diesel::table! {
    note_themes (note_id, theme) {
        note_id -> Text,
        theme -> Text,
        words -> Text,
    }
}

diesel::table! {
    resources (id) {
        id -> Text,
        agency_id -> Text,
        title_zh -> Text,
        title_en -> Text,
        summary_zh -> Text,
        summary_en -> Text,
        resource_type -> Text,
        topics -> Text,
        factors -> Text,
        audiences -> Text,
        languages -> Text,
        licence -> Text,
        authors -> Text,
        citation -> Text,
        link -> Nullable<Text>,
        visibility -> Text,
        status -> Text,
        evidence_rating -> Nullable<Text>,
        rated_by -> Nullable<Text>,
        rated_on -> Nullable<Date>,
        uses -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        published_at -> Nullable<Timestamp>,
        version -> BigInt,
    }
}

diesel::table! {
    resource_versions (resource_id, version) {
        resource_id -> Text,
        version -> BigInt,
        status -> Text,
        evidence_rating -> Nullable<Text>,
        change -> Text,
        note -> Text,
        content -> Text,
        changed_by -> Text,
        changed_at -> Timestamp,
    }
}

diesel::table! {
    resource_files (id) {
        id -> Text,
        resource_id -> Text,
        file_name -> Text,
        media_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        storage_key -> Text,
        extracted_text -> Text,
        downloads -> BigInt,
        uploaded_by -> Text,
        uploaded_at -> Timestamp,
        removed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    resource_bookmarks (user_id, resource_id) {
        user_id -> Text,
        resource_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    resource_collections (id) {
        id -> Text,
        user_id -> Text,
        name -> Text,
        created_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    resource_collection_items (collection_id, resource_id) {
        collection_id -> Text,
        resource_id -> Text,
        added_at -> Timestamp,
    }
}

diesel::table! {
    circle_threads (id) {
        id -> Text,
        topic -> Nullable<Text>,
        title -> Text,
        title_folded -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        last_activity_at -> Timestamp,
        replies -> BigInt,
        locked_at -> Nullable<Timestamp>,
        locked_by -> Nullable<Text>,
        version -> BigInt,
        course_id -> Nullable<Text>,
        activity_key -> Nullable<Text>,
    }
}

diesel::table! {
    course_files (course_id, activity_key) {
        course_id -> Text,
        activity_key -> Text,
        file_name -> Text,
        media_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        storage_key -> Text,
        uploaded_by -> Text,
        uploaded_at -> Timestamp,
    }
}

diesel::table! {
    circle_posts (id) {
        id -> Text,
        thread_id -> Text,
        author_id -> Text,
        body -> Text,
        body_folded -> Text,
        created_at -> Timestamp,
        edited_at -> Nullable<Timestamp>,
        hidden_at -> Nullable<Timestamp>,
        hidden_by -> Nullable<Text>,
        hidden_reason -> Nullable<Text>,
        version -> BigInt,
    }
}

diesel::table! {
    circle_reactions (post_id, user_id, reaction) {
        post_id -> Text,
        user_id -> Text,
        reaction -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    circle_reports (id) {
        id -> Text,
        post_id -> Text,
        reported_by -> Text,
        reason -> Text,
        reported_at -> Timestamp,
        resolved_at -> Nullable<Timestamp>,
        resolved_by -> Nullable<Text>,
    }
}

diesel::table! {
    circle_attachments (id) {
        id -> Text,
        post_id -> Text,
        file_name -> Text,
        media_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        storage_key -> Text,
        uploaded_by -> Text,
        uploaded_at -> Timestamp,
        text_folded -> Text,
    }
}

diesel::table! {
    courses (id) {
        id -> Text,
        agency_id -> Text,
        trainer_id -> Text,
        title_zh -> Text,
        title_en -> Text,
        category -> Text,
        language -> Text,
        cpd_tenths -> BigInt,
        status -> Text,
        content -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        published_at -> Nullable<Timestamp>,
        version -> BigInt,
        titles_folded -> Text,
    }
}

diesel::table! {
    course_enrolments (id) {
        id -> Text,
        course_id -> Text,
        user_id -> Text,
        enrolled_by -> Text,
        enrolled_at -> Timestamp,
        completed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    course_progress (enrolment_id, activity_key) {
        enrolment_id -> Text,
        activity_key -> Text,
        done_at -> Timestamp,
    }
}

diesel::table! {
    quiz_attempts (enrolment_id, activity_key, number) {
        enrolment_id -> Text,
        activity_key -> Text,
        number -> BigInt,
        answers -> Text,
        points -> BigInt,
        out_of -> BigInt,
        passed -> Bool,
        submitted_at -> Timestamp,
    }
}

diesel::table! {
    certificates (code) {
        code -> Text,
        enrolment_id -> Text,
        course_id -> Text,
        user_id -> Text,
        learner_name -> Text,
        course_title_zh -> Text,
        course_title_en -> Text,
        cpd_tenths -> BigInt,
        completed_on -> Date,
        issuer_zh -> Text,
        issuer_en -> Text,
        issued_at -> Timestamp,
        expires_on -> Nullable<Date>,
        revoked_at -> Nullable<Timestamp>,
        revoked_by -> Nullable<Text>,
        revoked_reason -> Nullable<Text>,
    }
}

diesel::table! {
    course_reflections (enrolment_id, activity_key) {
        enrolment_id -> Text,
        activity_key -> Text,
        text -> Text,
        status -> Text,
        submitted_at -> Timestamp,
        reviewed_by -> Nullable<Text>,
        reviewed_at -> Nullable<Timestamp>,
        feedback -> Nullable<Text>,
        version -> BigInt,
    }
}

diesel::table! {
    external_learning (id) {
        id -> Text,
        user_id -> Text,
        title -> Text,
        provider -> Text,
        kind -> Text,
        completed_on -> Date,
        cpd_tenths -> BigInt,
        reflection -> Text,
        evidence_key -> Nullable<Text>,
        evidence_name -> Nullable<Text>,
        evidence_type -> Nullable<Text>,
        evidence_bytes -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::joinable!(centres -> agencies (agency_id));
diesel::joinable!(units -> centres (centre_id));
diesel::joinable!(instrument_versions -> instruments (code));
diesel::joinable!(population_loads -> users (loaded_by));
diesel::joinable!(reach_stamps -> users (user_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(user_roles -> users (user_id));
diesel::joinable!(users -> units (unit_id));
diesel::joinable!(course_enrolments -> courses (course_id));
diesel::joinable!(course_progress -> course_enrolments (enrolment_id));
diesel::joinable!(course_reflections -> course_enrolments (enrolment_id));
diesel::joinable!(resource_versions -> resources (resource_id));
diesel::joinable!(resource_files -> resources (resource_id));
diesel::joinable!(resource_collection_items -> resource_collections (collection_id));
diesel::joinable!(circle_posts -> circle_threads (thread_id));
diesel::joinable!(course_files -> courses (course_id));
diesel::joinable!(circle_reactions -> circle_posts (post_id));
diesel::joinable!(circle_reports -> circle_posts (post_id));
diesel::joinable!(circle_attachments -> circle_posts (post_id));
diesel::joinable!(clients -> centres (centre_id));
diesel::joinable!(cases -> clients (client_id));
diesel::joinable!(households -> centres (centre_id));
diesel::joinable!(household_memberships -> households (household_id));
diesel::joinable!(household_memberships -> clients (client_id));
diesel::joinable!(cases -> centres (centre_id));
diesel::joinable!(cases -> units (unit_id));
diesel::joinable!(case_workers -> cases (case_id));
diesel::joinable!(case_workers -> users (user_id));
diesel::joinable!(case_shares -> cases (case_id));
diesel::joinable!(case_nature_tags -> cases (case_id));
diesel::joinable!(case_nature_tags -> case_natures (nature_code));
diesel::joinable!(case_members -> cases (case_id));
diesel::joinable!(case_members -> clients (client_id));
diesel::joinable!(case_events -> cases (case_id));
diesel::joinable!(case_closure_requests -> cases (case_id));
diesel::joinable!(case_transfers -> cases (case_id));
diesel::joinable!(client_name_keys -> clients (client_id));
diesel::joinable!(client_name_keys -> centres (centre_id));
diesel::joinable!(case_notes -> cases (case_id));
diesel::joinable!(case_note_participants -> case_notes (note_id));
diesel::joinable!(case_note_participants -> clients (client_id));
diesel::joinable!(client_merges -> users (merged_by));
diesel::joinable!(case_note_corrections -> case_notes (note_id));
diesel::joinable!(note_themes -> case_notes (note_id));
diesel::joinable!(case_plans -> cases (case_id));
diesel::joinable!(case_goals -> cases (case_id));
diesel::joinable!(case_reviews -> cases (case_id));
diesel::joinable!(referrals -> cases (case_id));
diesel::joinable!(enquiries -> centres (centre_id));
diesel::joinable!(enquiries -> units (unit_id));
diesel::joinable!(enquiry_topics -> enquiries (enquiry_id));
diesel::joinable!(enquiry_topics -> case_natures (nature_code));
diesel::joinable!(activities -> units (unit_id));
diesel::joinable!(activity_themes -> activities (activity_id));
diesel::joinable!(activity_themes -> case_natures (nature_code));
diesel::joinable!(activity_education_themes -> activities (activity_id));
diesel::joinable!(activity_education_themes -> education_themes (theme_code));
diesel::joinable!(activity_facilitators -> activities (activity_id));
diesel::joinable!(activity_sessions -> activities (activity_id));
diesel::joinable!(enrolments -> activities (activity_id));
diesel::joinable!(enrolments -> clients (client_id));
diesel::joinable!(attendance -> activity_sessions (session_id));
diesel::joinable!(attendance -> enrolments (enrolment_id));
diesel::joinable!(session_headcounts -> activity_sessions (session_id));
diesel::joinable!(event_headcounts -> activities (activity_id));

diesel::joinable!(assessments -> clients (client_id));
diesel::joinable!(child_protection_concerns -> cases (case_id));
diesel::joinable!(case_risks -> cases (case_id));
diesel::joinable!(risk_flags -> cases (case_id));
diesel::joinable!(assessment_scores -> assessments (assessment_id));
diesel::joinable!(assessment_alerts -> assessments (assessment_id));

diesel::table! {
    calendar_stamps (centre_id) {
        centre_id -> Text,
        stamp -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    agencies,
    calendar_stamps,
    centres,
    units,
    users,
    user_roles,
    sessions,
    login_throttle,
    clients,
    client_name_keys,
    client_merges,
    households,
    household_memberships,
    audit_log,
    case_natures,
    case_counters,
    cases,
    case_workers,
    case_shares,
    reach_stamps,
    held_cases,
    case_reach,
    case_nature_tags,
    case_members,
    case_events,
    case_closure_requests,
    case_transfers,
    case_notes,
    note_themes,
    search_postings,
    search_sequences,
    case_note_participants,
    case_note_corrections,
    case_plans,
    case_goals,
    case_reviews,
    referrals,
    enquiries,
    enquiry_topics,
    intervention_models,
    education_themes,
    activities,
    activity_themes,
    activity_education_themes,
    activity_facilitators,
    activity_sessions,
    enrolments,
    attendance,
    session_headcounts,
    event_headcounts,
    assessments,
    assessment_scores,
    assessment_alerts,
    assessment_links,
    service_standards,
    statistics_workbooks,
    child_protection_concerns,
    case_risks,
    risk_flags,
    instruments,
    instrument_versions,
    district_populations,
    population_loads,
    resources,
    resource_versions,
    resource_files,
    resource_bookmarks,
    resource_collections,
    resource_collection_items,
    circle_threads,
    course_files,
    circle_posts,
    circle_reactions,
    circle_reports,
    circle_attachments,
    courses,
    course_enrolments,
    course_progress,
    quiz_attempts,
    certificates,
    external_learning,
    course_reflections,
);
