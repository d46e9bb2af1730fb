BEGIN TRANSACTION;
CREATE TABLE audit (
	seq INTEGER NOT NULL, 
	at VARCHAR NOT NULL, 
	actor VARCHAR NOT NULL, 
	action VARCHAR NOT NULL, 
	subject VARCHAR NOT NULL, 
	details TEXT NOT NULL, 
	prev_hash VARCHAR NOT NULL, 
	hash VARCHAR NOT NULL, 
	mac VARCHAR, 
	PRIMARY KEY (seq)
);
INSERT INTO "audit" VALUES(1,'2026-12-05T17:49:27Z','ana','create workspace','s2.slamws','{"schema":2}','0000000000000000000000000000000000000000000000000000000000000000','124eaf478cca0d6870dc36dfcbc280068f521d6b4596ec08606827bc30aec19e',NULL);
INSERT INTO "audit" VALUES(2,'2026-12-05T17:49:29Z','ana','import incidents','h','{"content_hash":"7da677aa5575c45fcac0465ffa65be2cf0c99f8018d4a979bc0b483dba76a7dc","incident_set_id":1,"not_used":0,"rows":{"incident_set:1":"5b4c771ab7bdac335b191b56484892b649106c6f3f56ceb18a411ac07092179a"},"rows_read":2,"source":"/tmp/zones/zones.csv","used":2}','124eaf478cca0d6870dc36dfcbc280068f521d6b4596ec08606827bc30aec19e','88e6768b9ee5ca417e34ad98af41917a432f735eb9b22e0057ada7e634519a78',NULL);
INSERT INTO "audit" VALUES(3,'2026-12-05T17:49:32Z','ana','add version','c@1','{"changes":0,"content_hash":"8826cf6612058f8cc4e1f65f6fd204e870baddfa1aa71ba1097b92fea690b151","parent":null,"reason":"imported from three_tier_cloud.yaml","rows":{"contract:1":"cec12ac41ed58607e7b35692ed20b8b9d40b438152378b1fd2681ce8d663b777","contract_version:1":"75e6bf5e095c5862c48393eb0183cfbd54503e12a0efc331f876d51f9685261e"},"version_id":1,"weakens":[]}','88e6768b9ee5ca417e34ad98af41917a432f735eb9b22e0057ada7e634519a78','7e23b8c642eeadd6642962a008f5e0454313ebb9f417d0734c9d0f75fd9c995f',NULL);
INSERT INTO "audit" VALUES(4,'2026-12-05T17:49:35Z','ana','run','run 1','{"contract":"c@1","contract_hash":"8826cf6612058f8cc4e1f65f6fd204e870baddfa1aa71ba1097b92fea690b151","incident_set_hash":"7da677aa5575c45fcac0465ffa65be2cf0c99f8018d4a979bc0b483dba76a7dc","kind":"replay","result_hash":"5c421b26723f0f1502c008972a2f7a4a4809b20358bd0ec7cdf3e8e97d9b3dc3","rows":{"run:1":"c993cc1692e37849a98f4505c87492389484fd9504f2fa49afc518fc85204485"},"run_id":1,"scenario_hash":null,"seed":null,"trials":null}','7e23b8c642eeadd6642962a008f5e0454313ebb9f417d0734c9d0f75fd9c995f','44b4e35657dae40688418acc3a2786638221a74befbeba2381657118ffce41b9',NULL);
CREATE TABLE contract (
	id INTEGER NOT NULL, 
	"key" VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	created_by VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE ("key")
);
INSERT INTO "contract" VALUES(1,'c','2026-12-05T17:49:32Z','ana');
CREATE TABLE contract_version (
	id INTEGER NOT NULL, 
	contract_id INTEGER NOT NULL, 
	number INTEGER NOT NULL, 
	name VARCHAR NOT NULL, 
	body TEXT NOT NULL, 
	content_hash VARCHAR NOT NULL, 
	author VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	reason VARCHAR NOT NULL, 
	parent_id INTEGER, 
	status VARCHAR NOT NULL, 
	status_at VARCHAR, 
	status_by VARCHAR, 
	status_reason VARCHAR, 
	changes TEXT NOT NULL, 
	weakening INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (contract_id, number), 
	FOREIGN KEY(contract_id) REFERENCES contract (id), 
	FOREIGN KEY(parent_id) REFERENCES contract_version (id)
);
INSERT INTO "contract_version" VALUES(1,1,1,'Example Cloud Compute - Standard terms','{"claims":{"claim_rate":"0.6","min_credit":"1"},"currency":"USD","description":"Bronze, Silver and Gold compute tiers in us-east-1, monthly measurement.","exclusions":{"causes":["maintenance","force_majeure","customer"],"excluded_time":"remove","maintenance_allowance_minutes_per_year":"600","maintenance_windows":[{"day":"sunday","every":"week","minutes":240,"start":"02:00"}]},"format":"slamodeler/v1","liability_cap":{"amount":"1000000","pct_of_annual_fees":null},"measurement":{"impact_weights":{"degraded":"0","full":"1","none":"0","partial":"0.3"},"min_downtime_minutes":1,"period":"month","slot_minutes":1},"name":"Example Cloud Compute - Standard terms","term":{"months":36,"start":"2024-01-01"},"tiers":[{"caps":{"per_period_pct":"50","per_year_pct_of_annual_fees":null},"cost_to_serve_monthly":"700","credits":{"bands":[{"below":"99.5","credit_pct":"10","escalation":null},{"below":"99","credit_pct":"25","escalation":null},{"below":"95","credit_pct":"50","escalation":null}],"boundary":"below","kind":"bands"},"customers":120,"monthly_fee":"1500","name":"Bronze","scope":{"regions":["us-east-1"],"services":["Compute"]},"target_pct":"99.5"},{"caps":{"per_period_pct":"100","per_year_pct_of_annual_fees":"50"},"cost_to_serve_monthly":"1800","credits":{"bands":[{"below":"99.9","credit_pct":"10","escalation":null},{"below":"99","credit_pct":"25","escalation":null},{"below":"95","credit_pct":"100","escalation":null}],"boundary":"below","kind":"bands"},"customers":60,"monthly_fee":"4000","name":"Silver","scope":{"regions":["us-east-1"],"services":["Compute"]},"target_pct":"99.9"},{"caps":{"per_period_pct":"100","per_year_pct_of_annual_fees":"50"},"cost_to_serve_monthly":"5000","credits":{"bands":[{"below":"99.99","credit_pct":"10","escalation":null},{"below":"99","credit_pct":"30","escalation":"notify the account executive"},{"below":"95","credit_pct":"100","escalation":"notify the account executive and legal"}],"boundary":"below","kind":"bands"},"customers":25,"monthly_fee":"12000","name":"Gold","scope":{"regions":["us-east-1"],"services":["Compute"]},"target_pct":"99.99"}],"timezone":"America/New_York"}','8826cf6612058f8cc4e1f65f6fd204e870baddfa1aa71ba1097b92fea690b151','ana','2026-12-05T17:49:32Z','imported from three_tier_cloud.yaml',NULL,'draft',NULL,NULL,NULL,'[]',0);
CREATE TABLE incident (
	id INTEGER NOT NULL, 
	set_id INTEGER NOT NULL, 
	seq INTEGER NOT NULL, 
	ident VARCHAR NOT NULL, 
	start_ts INTEGER NOT NULL, 
	end_ts INTEGER NOT NULL, 
	impact VARCHAR NOT NULL, 
	impact_is_share BOOLEAN NOT NULL, 
	cause VARCHAR NOT NULL, 
	service VARCHAR NOT NULL, 
	region VARCHAR NOT NULL, 
	title VARCHAR NOT NULL, 
	"row" INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(set_id) REFERENCES incident_set (id)
);
INSERT INTO "incident" VALUES(1,1,0,'Z-1',1741168800,1741172400,'full',0,'','ec2','us-east-1','az1 unreachable',2);
INSERT INTO "incident" VALUES(2,1,1,'Z-2',1741171200,1741174200,'partial',0,'','ec2','us-east-1','az2 degraded',3);
CREATE TABLE incident_set (
	id INTEGER NOT NULL, 
	"key" VARCHAR NOT NULL, 
	source VARCHAR NOT NULL, 
	imported_at VARCHAR NOT NULL, 
	author VARCHAR NOT NULL, 
	rows_read INTEGER NOT NULL, 
	used INTEGER NOT NULL, 
	report TEXT NOT NULL, 
	content_hash VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE ("key")
);
INSERT INTO "incident_set" VALUES(1,'h','/tmp/zones/zones.csv','2026-12-05T17:49:29Z','ana',2,2,'{"issues":[],"rows_read":2,"source":"/tmp/zones/zones.csv","used":2}','7da677aa5575c45fcac0465ffa65be2cf0c99f8018d4a979bc0b483dba76a7dc');
CREATE TABLE meta (
	"key" VARCHAR NOT NULL, 
	value VARCHAR NOT NULL, 
	PRIMARY KEY ("key")
);
INSERT INTO "meta" VALUES('schema_version','2');
INSERT INTO "meta" VALUES('created_at','2026-12-05T17:49:27Z');
INSERT INTO "meta" VALUES('created_by_engine','0.1.0');
INSERT INTO "meta" VALUES('audit_head','4:44b4e35657dae40688418acc3a2786638221a74befbeba2381657118ffce41b9');
CREATE TABLE run (
	id INTEGER NOT NULL, 
	kind VARCHAR NOT NULL, 
	contract_version_id INTEGER NOT NULL, 
	contract_hash VARCHAR NOT NULL, 
	incident_set_id INTEGER, 
	incident_set_hash VARCHAR, 
	scenario_id INTEGER, 
	scenario_hash VARCHAR, 
	options TEXT NOT NULL, 
	seed INTEGER, 
	trials INTEGER, 
	engine_version VARCHAR NOT NULL, 
	author VARCHAR NOT NULL, 
	started_at VARCHAR NOT NULL, 
	finished_at VARCHAR NOT NULL, 
	seconds FLOAT NOT NULL, 
	result TEXT NOT NULL, 
	result_hash VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(contract_version_id) REFERENCES contract_version (id), 
	FOREIGN KEY(incident_set_id) REFERENCES incident_set (id), 
	FOREIGN KEY(scenario_id) REFERENCES scenario (id)
);
INSERT INTO "run" VALUES(1,'replay',1,'8826cf6612058f8cc4e1f65f6fd204e870baddfa1aa71ba1097b92fea690b151',1,'7da677aa5575c45fcac0465ffa65be2cf0c99f8018d4a979bc0b483dba76a7dc',NULL,NULL,'{"first":null,"last":null,"tiers":null}',NULL,NULL,'0.1.0','ana','2026-12-05T17:49:35Z','2026-12-05T17:49:35Z',0.007,'{"contract":{"hash":"8826cf6612058f8cc4e1f65f6fd204e870baddfa1aa71ba1097b92fea690b151","name":"Example Cloud Compute - Standard terms"},"currency":"USD","engine_version":"0.1.0","format":"slamodeler-replay/v1","from":"2025-03","incidents":{"not_used":[],"notes":[],"rows_read":2,"source":"/tmp/zones/zones.csv","used":2},"notes":["tier Bronze: no incident reaches its scope (services: Compute; regions: us-east-1); check the names against the data","tier Silver: no incident reaches its scope (services: Compute; regions: us-east-1); check the names against the data","tier Gold: no incident reaches its scope (services: Compute; regions: us-east-1); check the names against the data"],"period_kind":"month","tiers":[{"customers":120,"periods":[{"availability_pct":100.0,"band":null,"below_min_credit":"0.00","below_minimum_minutes":0,"capped_by_liability":"0.00","capped_by_period":"0.00","capped_by_year":"0.00","capped_off":"0.00","contract_year":1,"credit_after_caps":"0.00","credit_owed":"0.00","credit_pct":0.0,"downtime_minutes":0,"end":"2025-04-01T00:00:00-04:00","escalation":null,"excluded_by_reason":{},"excluded_minutes":0,"expected_paid":"0.00","incidents":[],"met_target":true,"period":"2025-03","period_minutes":44580,"rule":"no band hit","start":"2025-03-01T00:00:00-05:00","tier":"Bronze"}],"target_pct":99.5,"tier":"Bronze","totals":{"all_customers":{"below_min_credit":"0.00","capped_by_liability":"0.00","capped_by_period":"0.00","capped_by_year":"0.00","capped_off":"0.00","credit_after_caps":"0.00","credit_owed":"0.00","expected_paid":"0.00"},"breach_periods":0,"downtime_minutes":0,"per_customer":{"below_min_credit":"0.00","capped_by_liability":"0.00","capped_by_period":"0.00","capped_by_year":"0.00","capped_off":"0.00","credit_after_caps":"0.00","credit_owed":"0.00","expected_paid":"0.00"}}},{"customers":60,"periods":[{"availability_pct":100.0,"band":null,"below_min_credit":"0.00","below_minimum_minutes":0,"capped_by_liability":"0.00","capped_by_period":"0.00","capped_by_year":"0.00","capped_off":"0.00","contract_year":1,"credit_after_caps":"0.00","credit_owed":"0.00","credit_pct":0.0,"downtime_minutes":0,"end":"2025-04-01T00:00:00-04:00","escalation":null,"excluded_by_reason":{},"excluded_minutes":0,"expected_paid":"0.00","incidents":[],"met_target":true,"period":"2025-03","period_minutes":44580,"rule":"no band hit","start":"2025-03-01T00:00:00-05:00","tier":"Silver"}],"target_pct":99.9,"tier":"Silver","totals":{"all_customers":{"below_min_credit":"0.00","capped_by_liability":"0.00","capped_by_period":"0.00","capped_by_year":"0.00","capped_off":"0.00","credit_after_caps":"0.00","credit_owed":"0.00","expected_paid":"0.00"},"breach_periods":0,"downtime_minutes":0,"per_customer":{"below_min_credit":"0.00","capped_by_liability":"0.00","capped_by_period":"0.00","capped_by_year":"0.00","capped_off":"0.00","credit_after_caps":"0.00","credit_owed":"0.00","expected_paid":"0.00"}}},{"customers":25,"periods":[{"availability_pct":100.0,"band":null,"below_min_credit":"0.00","below_minimum_minutes":0,"capped_by_liability":"0.00","capped_by_period":"0.00","capped_by_year":"0.00","capped_off":"0.00","contract_year":1,"credit_after_caps":"0.00","credit_owed":"0.00","credit_pct":0.0,"downtime_minutes":0,"end":"2025-04-01T00:00:00-04:00","escalation":null,"excluded_by_reason":{},"excluded_minutes":0,"expected_paid":"0.00","incidents":[],"met_target":true,"period":"2025-03","period_minutes":44580,"rule":"no band hit","start":"2025-03-01T00:00:00-05:00","tier":"Gold"}],"target_pct":99.99,"tier":"Gold","totals":{"all_customers":{"below_min_credit":"0.00","capped_by_liability":"0.00","capped_by_period":"0.00","capped_by_year":"0.00","capped_off":"0.00","credit_after_caps":"0.00","credit_owed":"0.00","expected_paid":"0.00"},"breach_periods":0,"downtime_minutes":0,"per_customer":{"below_min_credit":"0.00","capped_by_liability":"0.00","capped_by_period":"0.00","capped_by_year":"0.00","capped_off":"0.00","credit_after_caps":"0.00","credit_owed":"0.00","expected_paid":"0.00"}}}],"timezone":"America/New_York","to":"2025-03"}','5c421b26723f0f1502c008972a2f7a4a4809b20358bd0ec7cdf3e8e97d9b3dc3');
CREATE TABLE scenario (
	id INTEGER NOT NULL, 
	"key" VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	source VARCHAR NOT NULL, 
	body TEXT NOT NULL, 
	content_hash VARCHAR NOT NULL, 
	imported_at VARCHAR NOT NULL, 
	author VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE ("key")
);
CREATE INDEX ix_contract_version_contract_id ON contract_version (contract_id);
CREATE UNIQUE INDEX ix_incident_set_seq ON incident (set_id, seq);
CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER approved_version_immutable
    BEFORE UPDATE OF contract_id, number, name, body, content_hash, author, created_at, reason,
        parent_id, changes, weakening ON contract_version
    WHEN OLD.status IN ('in_review', 'approved', 'superseded')
    BEGIN SELECT RAISE(ABORT, 'a version in review or approved cannot be changed'); END;
CREATE TRIGGER approved_version_kept BEFORE DELETE ON contract_version
    WHEN OLD.status IN ('approved', 'superseded')
    BEGIN SELECT RAISE(ABORT, 'an approved version cannot be deleted'); END;
COMMIT;
