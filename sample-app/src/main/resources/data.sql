-- Portable between H2 and PostgreSQL: the sample data is reset at every start.
DELETE FROM product;
INSERT INTO product (id, name, price) VALUES (1, 'Espresso machine', 349.00), (2, 'Grinder', 129.50), (3, 'Kettle', 59.90);
DELETE FROM setting;
INSERT INTO setting (name, setting_value) VALUES ('currency', 'EUR'), ('shipping', 'free over 50');
