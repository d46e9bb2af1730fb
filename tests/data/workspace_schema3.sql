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
INSERT INTO "audit" VALUES(1,'2026-12-06T02:02:38Z','ana','create workspace','s3.slamws','{"schema":3}','0000000000000000000000000000000000000000000000000000000000000000','fd8e8941c92c69c29a5b204e87c29aa37c66dfc25af890448e79976e47250259',NULL);
INSERT INTO "audit" VALUES(2,'2026-12-06T02:02:39Z','ana','add version','support_cloud@1','{"changes":0,"content_hash":"791c3090e0999af4f8f62f4dfc4f705e4f0ab10ad957649ad66dc0aca6a552c3","parent":null,"reason":"imported from support_cloud.yaml","rows":{"contract:1":"4823e74174e58d75444b56aa647d1bd2a010a8358f2e736085c9eeffb975612c","contract_version:1":"b8648241c26a625fd377f80e973438e79f517339e5945a5b7f57e337b38cdbfc"},"version_id":1,"weakens":[]}','fd8e8941c92c69c29a5b204e87c29aa37c66dfc25af890448e79976e47250259','8081ad4f4628aa1282e97d2b087578cb0efa355671205fec113010943f15aa64',NULL);
INSERT INTO "audit" VALUES(3,'2026-12-06T02:02:40Z','ana','import incidents','h','{"content_hash":"d173551d9f407055eb8313841f93f8fd62cbf6d7bd7ecc6127a75386396f6391","incident_set_id":1,"not_used":0,"rows":{"incident_set:1":"816589de075ca4861311d3664a53ae43321d714dcb02540d8c5ab4b564ad966e"},"rows_read":14,"source":"/work/wt/feesets/sample_contracts/incidents_sample.csv","used":14}','8081ad4f4628aa1282e97d2b087578cb0efa355671205fec113010943f15aa64','ca41a6dd205d780f0a1dbc949f79f04094df4b0c8e0f6a3431a40438d4b0b789',NULL);
INSERT INTO "audit" VALUES(4,'2026-12-06T02:02:41Z','ana','run','run 1','{"contract":"support_cloud@1","contract_hash":"791c3090e0999af4f8f62f4dfc4f705e4f0ab10ad957649ad66dc0aca6a552c3","incident_set_hash":"d173551d9f407055eb8313841f93f8fd62cbf6d7bd7ecc6127a75386396f6391","kind":"replay","result_hash":"cbbb757980ba791aeb49aebe833471871be7c94ff4eb994304bb2d6fc0c8c2ed","rows":{"run:1":"835b865dd2530a5420b58ac6699c17d36350d9a6e362136c4b5c8e28ef47bb52"},"run_id":1,"scenario_hash":null,"seed":null,"trials":null}','ca41a6dd205d780f0a1dbc949f79f04094df4b0c8e0f6a3431a40438d4b0b789','c9edcd77c0497faf98c9ca06364aec935e4812988807aebc7bb6e679843790dd',NULL);
INSERT INTO "audit" VALUES(5,'2026-12-06T02:02:42Z','ana','run','run 2','{"contract":"support_cloud@1","contract_hash":"791c3090e0999af4f8f62f4dfc4f705e4f0ab10ad957649ad66dc0aca6a552c3","file_hashes":{"fees":"eb34825c7cd2c1c4972725b77b14d22bd4470fb39661de47194e86121480d822","tickets":"24f6a1189288dea61e191762571e2cde4ad75e55d4147d5253cbe7eba7af47f0"},"incident_set_hash":"d173551d9f407055eb8313841f93f8fd62cbf6d7bd7ecc6127a75386396f6391","kind":"replay","result_hash":"bcca7d0bcfc7ad161ba44de7b940c121c3628dfc4692b330eee2c06df05f7b19","rows":{"run:2":"e96941cd5d7252014dac3e4ef2de75197ff8a449f977fba462fe17e359b3490e"},"run_id":2,"scenario_hash":null,"seed":null,"trials":null}','c9edcd77c0497faf98c9ca06364aec935e4812988807aebc7bb6e679843790dd','4aabd20b85e00a0dd88887ddd1f46cea0ca71ffc2ecf4e26222081560e2eea05',NULL);
CREATE TABLE contract (
	id INTEGER NOT NULL, 
	"key" VARCHAR NOT NULL, 
	created_at VARCHAR NOT NULL, 
	created_by VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE ("key")
);
INSERT INTO "contract" VALUES(1,'support_cloud','2026-12-06T02:02:39Z','ana');
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
INSERT INTO "contract_version" VALUES(1,1,1,'Support cloud','{"claims":{"claim_rate":"0.6","min_credit":"1"},"currency":"USD","description":"Bronze, Silver and Gold compute tiers in us-east-1, monthly measurement.","exclusions":{"causes":["maintenance","force_majeure","customer"],"excluded_time":"remove","maintenance_allowance_minutes_per_year":"600","maintenance_windows":[{"day":"sunday","every":"week","minutes":240,"start":"02:00"}]},"format":"slamodeler/v1","liability_cap":{"amount":"1000000","pct_of_annual_fees":null},"measurement":{"impact_weights":{"degraded":"0","full":"1","none":"0","partial":"0.3"},"min_downtime_minutes":1,"period":"month","slot_minutes":1},"name":"Support cloud","term":{"months":36,"start":"2024-01-01"},"tiers":[{"caps":{"per_period_pct":"50","per_year_pct_of_annual_fees":null},"cost_to_serve_monthly":"700","credits":{"bands":[{"below":"99.5","credit_pct":"10","escalation":null},{"below":"99","credit_pct":"25","escalation":null},{"below":"95","credit_pct":"50","escalation":null}],"boundary":"below","kind":"bands"},"customers":120,"monthly_fee":"1500","name":"Bronze","scope":{"regions":["us-east-1"],"services":["Compute"]},"support":{"clock":"around_the_clock","targets":[{"credit_amount":null,"credit_pct":"5","max_pct_per_period":"10","priority":"p1","respond_within_minutes":15},{"credit_amount":null,"credit_pct":"2","max_pct_per_period":null,"priority":"p2","respond_within_minutes":60}]},"target_pct":"99.5"},{"caps":{"per_period_pct":"100","per_year_pct_of_annual_fees":"50"},"cost_to_serve_monthly":"1800","credits":{"bands":[{"below":"99.9","credit_pct":"10","escalation":null},{"below":"99","credit_pct":"25","escalation":null},{"below":"95","credit_pct":"100","escalation":null}],"boundary":"below","kind":"bands"},"customers":60,"monthly_fee":"4000","name":"Silver","scope":{"regions":["us-east-1"],"services":["Compute"]},"target_pct":"99.9"},{"caps":{"per_period_pct":"100","per_year_pct_of_annual_fees":"50"},"cost_to_serve_monthly":"5000","credits":{"bands":[{"below":"99.99","credit_pct":"10","escalation":null},{"below":"99","credit_pct":"30","escalation":"notify the account executive"},{"below":"95","credit_pct":"100","escalation":"notify the account executive and legal"}],"boundary":"below","kind":"bands"},"customers":25,"monthly_fee":"12000","name":"Gold","scope":{"regions":["us-east-1"],"services":["Compute"]},"target_pct":"99.99"}],"timezone":"America/New_York"}','791c3090e0999af4f8f62f4dfc4f705e4f0ab10ad957649ad66dc0aca6a552c3','ana','2026-12-06T02:02:39Z','imported from support_cloud.yaml',NULL,'draft',NULL,NULL,NULL,'[]',0);
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
	zone VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(set_id) REFERENCES incident_set (id)
);
INSERT INTO "incident" VALUES(1,1,0,'INC-1001',1704809100,1704812520,'full',0,'','Compute','us-east-1','Instance launches failing in us-east-1',2,'');
INSERT INTO "incident" VALUES(2,1,1,'INC-1002',1705822200,1705828200,'full',0,'maintenance','Compute','us-east-1','Scheduled hypervisor patching',3,'');
INSERT INTO "incident" VALUES(3,1,2,'INC-1003',1707777600,1707796500,'partial',0,'','Compute','us-east-1','Elevated API error rates',4,'');
INSERT INTO "incident" VALUES(4,1,3,'INC-1004',1707786000,1707788700,'full',0,'','Compute','us-east-1','Control plane unavailable',5,'');
INSERT INTO "incident" VALUES(5,1,4,'INC-1005',1710053400,1710058800,'full',0,'','Compute','us-east-1','Network partition during DST change',6,'');
INSERT INTO "incident" VALUES(6,1,5,'INC-1006',1711641600,1711643400,'full',0,'customer','Compute','us-east-1','Customer firewall misconfiguration',7,'');
INSERT INTO "incident" VALUES(7,1,6,'INC-1007',1714519200,1714545600,'full',0,'','Compute','us-east-1','Storage backend outage across month end',8,'');
INSERT INTO "incident" VALUES(8,1,7,'INC-1008',1717329600,1717329640,'full',0,'','Compute','us-east-1','40-second blip (touches one 1-minute slot)',9,'');
INSERT INTO "incident" VALUES(9,1,8,'INC-1009',1718442000,1718449200,'0.25',1,'','Object Storage','us-east-1','25% of PUT requests failing',10,'');
INSERT INTO "incident" VALUES(10,1,9,'INC-1010',1720116000,1720159200,'full',0,'force_majeure','Compute','us-east-1','Regional power grid failure',11,'');
INSERT INTO "incident" VALUES(11,1,10,'INC-1011',1724036400,1724041800,'degraded',0,'','Compute','eu-west-1','Slow console in eu-west-1',12,'');
INSERT INTO "incident" VALUES(12,1,11,'INC-1012',1727730000,1727748000,'full',0,'third_party','Object Storage','us-east-1','DNS provider outage',13,'');
INSERT INTO "incident" VALUES(13,1,12,'INC-1013',1730611800,1730619000,'full',0,'','Compute','us-east-1','Outage over the DST fall-back hour',14,'');
INSERT INTO "incident" VALUES(14,1,13,'INC-1014',1735675200,1735718400,'partial',0,'','Compute','us-east-1','Degraded capacity over New Year',15,'');
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
INSERT INTO "incident_set" VALUES(1,'h','/work/wt/feesets/sample_contracts/incidents_sample.csv','2026-12-06T02:02:40Z','ana',14,14,'{"issues":[],"rows_read":14,"source":"/work/wt/feesets/sample_contracts/incidents_sample.csv","used":14}','d173551d9f407055eb8313841f93f8fd62cbf6d7bd7ecc6127a75386396f6391');
CREATE TABLE meta (
	"key" VARCHAR NOT NULL, 
	value VARCHAR NOT NULL, 
	PRIMARY KEY ("key")
);
INSERT INTO "meta" VALUES('schema_version','3');
INSERT INTO "meta" VALUES('created_at','2026-12-06T02:02:38Z');
INSERT INTO "meta" VALUES('created_by_engine','0.1.0');
INSERT INTO "meta" VALUES('audit_head','5:4aabd20b85e00a0dd88887ddd1f46cea0ca71ffc2ecf4e26222081560e2eea05');
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
INSERT INTO "run" VALUES(1,'replay',1,'791c3090e0999af4f8f62f4dfc4f705e4f0ab10ad957649ad66dc0aca6a552c3',1,'d173551d9f407055eb8313841f93f8fd62cbf6d7bd7ecc6127a75386396f6391',NULL,NULL,'{"first":"2024-03","last":"2024-03","tiers":["Bronze"]}',NULL,NULL,'0.1.0','ana','2026-12-06T02:02:41Z','2026-12-06T02:02:41Z',0.003,'{"contract":{"hash":"791c3090e0999af4f8f62f4dfc4f705e4f0ab10ad957649ad66dc0aca6a552c3","name":"Support cloud"},"currency":"USD","engine_version":"0.1.0","format":"slamodeler-replay/v1","from":"2024-03","incidents":{"not_used":[],"notes":[],"rows_read":14,"source":"/work/wt/feesets/sample_contracts/incidents_sample.csv","used":14},"notes":[],"period_kind":"month","tiers":[{"customers":120,"periods":[{"availability_pct":99.977513,"band":null,"below_min_credit":"0.00","below_minimum_minutes":0,"capped_by_liability":"0.00","capped_by_period":"0.00","capped_by_year":"0.00","capped_off":"0.00","contract_year":0,"credit_after_caps":"0.00","credit_owed":"0.00","credit_pct":0.0,"downtime_minutes":10,"end":"2024-04-01T00:00:00-04:00","escalation":null,"excluded_by_reason":{"cause: customer":30,"maintenance window":80},"excluded_minutes":110,"expected_paid":"0.00","incidents":[{"below_minimum_minutes":0,"counted_minutes":10,"excluded_minutes":80,"excluded_reason":"maintenance window","id":"INC-1005","row":6,"title":"Network partition during DST change"},{"below_minimum_minutes":0,"counted_minutes":0,"excluded_minutes":30,"excluded_reason":"cause: customer","id":"INC-1006","row":7,"title":"Customer firewall misconfiguration"}],"met_target":true,"period":"2024-03","period_minutes":44580,"rule":"no band hit","start":"2024-03-01T00:00:00-05:00","support":{"capped_pct":{},"credit_pct":0.0,"misses":[],"tickets":0},"tier":"Bronze"}],"target_pct":99.5,"tier":"Bronze","totals":{"all_customers":{"below_min_credit":"0.00","capped_by_liability":"0.00","capped_by_period":"0.00","capped_by_year":"0.00","capped_off":"0.00","credit_after_caps":"0.00","credit_owed":"0.00","expected_paid":"0.00"},"breach_periods":0,"downtime_minutes":10,"per_customer":{"below_min_credit":"0.00","capped_by_liability":"0.00","capped_by_period":"0.00","capped_by_year":"0.00","capped_off":"0.00","credit_after_caps":"0.00","credit_owed":"0.00","expected_paid":"0.00"}}}],"timezone":"America/New_York","to":"2024-03"}','cbbb757980ba791aeb49aebe833471871be7c94ff4eb994304bb2d6fc0c8c2ed');
INSERT INTO "run" VALUES(2,'replay',1,'791c3090e0999af4f8f62f4dfc4f705e4f0ab10ad957649ad66dc0aca6a552c3',1,'d173551d9f407055eb8313841f93f8fd62cbf6d7bd7ecc6127a75386396f6391',NULL,NULL,'{"fees":{"path":"/tmp/feesets/fees.csv","sha256":"eb34825c7cd2c1c4972725b77b14d22bd4470fb39661de47194e86121480d822"},"first":"2024-03","last":"2024-03","tickets":{"path":"/work/wt/feesets/sample_contracts/tickets_sample.csv","sha256":"24f6a1189288dea61e191762571e2cde4ad75e55d4147d5253cbe7eba7af47f0"},"tiers":["Bronze"]}',NULL,NULL,'0.1.0','ana','2026-12-06T02:02:42Z','2026-12-06T02:02:42Z',0.006,'{"contract":{"hash":"e99f08db67778c0c6cf02feebeec698cab24271df7f939c2a9401301c4fcdc40","name":"Support cloud"},"currency":"USD","engine_version":"0.1.0","format":"slamodeler-replay/v1","from":"2024-03","incidents":{"not_used":[],"notes":[],"rows_read":14,"source":"/work/wt/feesets/sample_contracts/incidents_sample.csv","used":14},"notes":["1 ticket(s) opened outside the replayed periods: not counted (first: T-108 (row 9)); widen --from/--to to count them","ticket priorities without a response target: ''p3''; not counted (map them with priority_labels in a ticket mapping if they mean a priority the contract names)"],"period_kind":"month","tickets":{"not_used":[],"notes":[{"column":"first_response","reason":"no first response: a miss once its target has passed by the end of the replay","row":8}],"rows_read":8,"source":"/work/wt/feesets/sample_contracts/tickets_sample.csv","used":8},"tiers":[{"customers":120,"periods":[{"availability_pct":99.977513,"band":null,"below_min_credit":"0.00","below_minimum_minutes":0,"capped_by_liability":"0.00","capped_by_period":"0.00","capped_by_year":"0.00","capped_off":"0.00","contract_year":0,"credit_after_caps":"360.00","credit_owed":"360.00","credit_pct":12.0,"downtime_minutes":10,"end":"2024-04-01T00:00:00-04:00","escalation":null,"excluded_by_reason":{"cause: customer":30,"maintenance window":80},"excluded_minutes":110,"expected_paid":"216.00","incidents":[{"below_minimum_minutes":0,"counted_minutes":10,"excluded_minutes":80,"excluded_reason":"maintenance window","id":"INC-1005","row":6,"title":"Network partition during DST change"},{"below_minimum_minutes":0,"counted_minutes":0,"excluded_minutes":30,"excluded_reason":"cause: customer","id":"INC-1006","row":7,"title":"Customer firewall misconfiguration"}],"met_target":true,"period":"2024-03","period_minutes":44580,"rule":"no band hit","start":"2024-03-01T00:00:00-05:00","support":{"capped_pct":{},"credit_pct":12.0,"misses":[{"credit_pct":5.0,"id":"T-102","priority":"p1","response_minutes":45.0,"row":3,"target_minutes":15},{"credit_pct":2.0,"id":"T-103","priority":"p2","response_minutes":3795.0,"row":4,"target_minutes":60},{"credit_pct":5.0,"id":"T-107","priority":"p1","response_minutes":null,"row":8,"target_minutes":15}],"tickets":6},"tier":"Bronze"}],"target_pct":99.5,"tier":"Bronze","totals":{"all_customers":{"below_min_credit":"0.00","capped_by_liability":"0.00","capped_by_period":"0.00","capped_by_year":"0.00","capped_off":"0.00","credit_after_caps":"43200.00","credit_owed":"43200.00","expected_paid":"25920.00"},"breach_periods":0,"downtime_minutes":10,"per_customer":{"below_min_credit":"0.00","capped_by_liability":"0.00","capped_by_period":"0.00","capped_by_year":"0.00","capped_off":"0.00","credit_after_caps":"360.00","credit_owed":"360.00","expected_paid":"216.00"}}}],"timezone":"America/New_York","to":"2024-03"}','bcca7d0bcfc7ad161ba44de7b940c121c3628dfc4692b330eee2c06df05f7b19');
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
