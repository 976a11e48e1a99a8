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
        district -> Text,
        hkid_masked -> Nullable<Text>,
        hkid_hash -> Nullable<Text>,
        search_text -> Text,
        version -> BigInt,
        created_by -> Text,
        updated_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
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

diesel::joinable!(centres -> agencies (agency_id));
diesel::joinable!(units -> centres (centre_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(user_roles -> users (user_id));
diesel::joinable!(users -> units (unit_id));
diesel::joinable!(clients -> centres (centre_id));
diesel::joinable!(client_name_keys -> clients (client_id));
diesel::joinable!(client_name_keys -> centres (centre_id));

diesel::allow_tables_to_appear_in_same_query!(
    agencies,
    centres,
    units,
    users,
    user_roles,
    sessions,
    login_throttle,
    clients,
    client_name_keys,
    audit_log,
);
